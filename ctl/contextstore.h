#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QUrl>

namespace Outpost::Ctl {

// One server outpostctl signed in to: where it is, as whom, and where its refresh token is.
struct Context
{
    QString name;
    QUrl server;
    QString email;
    // "keychain": the system keychain holds the refresh token (service "outpostctl", the
    // context's name as key); "file": the 0600 credentials file (--insecure-store).
    QString tokenStore;
};

// The contexts, in <config dir>/outpostctl/config.json ($XDG_CONFIG_HOME on Linux):
// {"current": "name", "contexts": {"name": {"server", "email", "token_store"}}}.
// Refresh tokens never go into this file: they go into the system keychain, or, only when
// the user asks for it with --insecure-store, into <config dir>/outpostctl/credentials.json,
// created with mode 0600.
class ContextStore
{
public:
    ContextStore();

    // Reads the file; false with `error` set when it exists but cannot be read.
    bool load(QString *error);
    bool save(QString *error) const;

    QString current() const { return m_current; }
    void setCurrent(const QString &name) { m_current = name; }
    bool contains(const QString &name) const { return m_contexts.contains(name); }
    Context context(const QString &name) const { return m_contexts.value(name); }
    QList<Context> contexts() const { return m_contexts.values(); }
    void put(const Context &context) { m_contexts.insert(context.name, context); }
    void remove(const QString &name);

    QString configPath() const;
    QString credentialsPath() const;

    // The refresh token of a context, from wherever it is kept; empty with `error` set when
    // there is none (or the keychain did not answer).
    QString readToken(const Context &context, QString *error) const;
    // Stores it where the context says; false with `error` (e.g. "no keychain: ...").
    bool writeToken(const Context &context, const QString &token, QString *error) const;
    void removeToken(const Context &context) const;

private:
    QString m_dir;
    QString m_current;
    QMap<QString, Context> m_contexts;
};

} // namespace Outpost::Ctl
