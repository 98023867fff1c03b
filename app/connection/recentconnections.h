#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace Outpost::App {

// Remote connections used before (URL and email only; tokens live in the keychain), and
// which kind of connection the app opened last, in QSettings.
struct RecentConnection
{
    QUrl url;
    QString email;
    QString keychainKey() const { return url.toString() + QLatin1Char('|') + email; }
    friend bool operator==(const RecentConnection &, const RecentConnection &) = default;
};

class RecentConnections
{
public:
    static QList<RecentConnection> load();
    static void remember(const RecentConnection &connection); // moves it to the front
    static void forget(const RecentConnection &connection);
    // "embedded", "remote" or empty (first start).
    static QString lastMode();
    static void setLastMode(const QString &mode);

    // The public-key pin (ApiClient::publicKeyPin()) of a server whose certificate the user
    // trusted although it did not verify, by scheme, host and port, like SSH's known hosts.
    // Empty when none.
    static QByteArray pin(const QUrl &server);
    static void setPin(const QUrl &server, const QByteArray &pin);

    static constexpr int kMax = 8;
};

} // namespace Outpost::App
