#pragma once

#include <QMap>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace Outpost::App {

// The one bridge from the app to the server library: runs the whole Outpost server in this
// process, in a worker thread, on 127.0.0.1 and a free port, with SQLite and files under
// `dataDir`. It also makes sure a local admin exists and gives it a fresh random password
// for this run only, handed to the app in memory: nobody types a password for the local
// case and none is ever written down.
class EmbeddedServer final : public QObject
{
    Q_OBJECT

public:
    explicit EmbeddedServer(const QString &dataDir, QObject *parent = nullptr);
    ~EmbeddedServer() override;

    // Lower bcrypt cost (4..31) for tests; the default is the server's.
    void setBcryptCost(int cost) { m_bcryptCost = cost; }
    // Further server settings by name (without OUTPOST_), e.g. for tests.
    void setSettings(const QMap<QString, QString> &settings) { m_settings = settings; }

    // Asynchronous: started() or failed() follows.
    void start();
    // Drains and stops the server (blocks briefly).
    void stop();
    bool isRunning() const;
    QUrl url() const { return m_url; }
    QString dataDir() const { return m_dataDir; }

    static QString localAdminEmail();
    // The user's data directory for the offline server.
    static QString defaultDataDir();

    // `outpost --headless [serve options]`: the same as `outpost-server serve`, no window.
    static int runHeadless(int argc, char *argv[]);

Q_SIGNALS:
    void started(const QUrl &url, const QString &email, const QString &password);
    void failed(const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
    QString m_dataDir;
    QUrl m_url;
    int m_bcryptCost = 0;
    QMap<QString, QString> m_settings;
};

} // namespace Outpost::App
