#pragma once

#include "databaseurl.h"

#include <QByteArray>
#include <QObject>
#include <QThread>

#include <functional>

namespace Outpost::Server {

class EventChannelWorker;

// Payloads across replicas through PostgreSQL LISTEN/NOTIFY on the channel "outpost_events".
//
// The channel carries opaque payloads; what they mean is the caller's (the services' event bus
// encodes its events, server.cpp wires the two). send() passes a payload to pg_notify(); every
// notification from another session (another replica) goes to `receive`. One connection of its own,
// in a thread of its own (QPSQL delivers notifications through that thread's event loop); it
// reconnects and subscribes again when the server went away. Payloads sent while PostgreSQL is
// unreachable are dropped.
class PgEventChannel final
{
public:
    PgEventChannel(const DatabaseUrl &url, std::function<void(const QByteArray &)> receive);
    ~PgEventChannel();
    PgEventChannel(const PgEventChannel &) = delete;
    PgEventChannel &operator=(const PgEventChannel &) = delete;

    // From any thread; never blocks.
    void send(const QByteArray &payload);

private:
    QThread m_thread;
    EventChannelWorker *m_worker = nullptr; // lives in m_thread
};

} // namespace Outpost::Server
