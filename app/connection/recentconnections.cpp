#include "recentconnections.h"

#include <QSettings>

namespace Outpost::App {

QList<RecentConnection> RecentConnections::load()
{
    QSettings settings;
    QList<RecentConnection> list;
    const int size = settings.beginReadArray(QStringLiteral("connections/recent"));
    for (int i = 0; i < size; ++i) {
        settings.setArrayIndex(i);
        const QUrl url(settings.value(QStringLiteral("url")).toString());
        if (url.isValid())
            list.append({url, settings.value(QStringLiteral("email")).toString()});
    }
    settings.endArray();
    return list;
}

namespace {

void save(const QList<RecentConnection> &list)
{
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("connections/recent"), int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("url"), list.at(i).url.toString());
        settings.setValue(QStringLiteral("email"), list.at(i).email);
    }
    settings.endArray();
}

} // namespace

void RecentConnections::remember(const RecentConnection &connection)
{
    QList<RecentConnection> list = load();
    list.removeAll(connection);
    list.prepend(connection);
    while (list.size() > kMax)
        list.removeLast();
    save(list);
}

void RecentConnections::forget(const RecentConnection &connection)
{
    QList<RecentConnection> list = load();
    list.removeAll(connection);
    save(list);
}

namespace {

QString pinKey(const QUrl &server)
{
    // QSettings keys cannot hold '/': "pins/https:host:port".
    return QStringLiteral("connections/pins/%1:%2:%3")
        .arg(server.scheme(), server.host(), QString::number(server.port(443)));
}

} // namespace

QByteArray RecentConnections::pin(const QUrl &server)
{
    return QByteArray::fromBase64(QSettings().value(pinKey(server)).toByteArray());
}

void RecentConnections::setPin(const QUrl &server, const QByteArray &pin)
{
    QSettings settings;
    if (pin.isEmpty())
        settings.remove(pinKey(server));
    else
        settings.setValue(pinKey(server), QString::fromLatin1(pin.toBase64()));
}

QString RecentConnections::lastMode()
{
    return QSettings().value(QStringLiteral("connections/last")).toString();
}

void RecentConnections::setLastMode(const QString &mode)
{
    QSettings().setValue(QStringLiteral("connections/last"), mode);
}

} // namespace Outpost::App
