#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace Outpost::App {

// Refresh tokens for remote connections, in the system keychain (Secret Service, KWallet,
// macOS Keychain, Windows Credential Store) through QtKeychain — never in a plain file.
// When no keychain answers (a headless machine without a Secret Service), tokens stay in
// this process's memory for the session only and keychainUnavailable() tells the user why
// the next start will ask for the password again.
class CredentialStore final : public QObject
{
    Q_OBJECT

public:
    explicit CredentialStore(QObject *parent = nullptr);

    // "Outpost" by default; tests use their own service name.
    void setService(const QString &service) { m_service = service; }
    bool keychainAvailable() const { return m_available; }

    void write(const QString &key, const QString &secret);
    // Calls back with the secret, or an empty string when there is none.
    void read(const QString &key, const std::function<void(const QString &)> &done);
    void remove(const QString &key);

Q_SIGNALS:
    void keychainUnavailable(const QString &reason);
    void written(const QString &key, bool inKeychain);

private:
    void markUnavailable(const QString &reason);

    QString m_service = QStringLiteral("Outpost");
    bool m_available = true;
    QHash<QString, QString> m_memory; // only while the keychain is unavailable
};

} // namespace Outpost::App
