#pragma once

#include "databaseurl.h"
#include "services/eventbus.h"

#include <QByteArray>
#include <QObject>
#include <QThread>

#include <functional>
#include <optional>

namespace Outpost::Server {

class EventChannelWorker;

// Events across replicas through PostgreSQL LISTEN/NOTIFY on the channel "outpost_events".
//
// Every event published on this replica's bus is sent with pg_notify(); every notification
// from another session (another replica) goes to `deliver` (EventBus::deliver: this replica's
// WebSocket clients). One connection of its own, in a thread of its own (QPSQL delivers
// notifications through that thread's event loop); it reconnects and subscribes again when
// the server went away. Events published while PostgreSQL is unreachable reach only this
// replica's clients.
class PgEventChannel final : public EventRelay
{
public:
    PgEventChannel(const DatabaseUrl &url, std::function<void(const Event &)> deliver);
    ~PgEventChannel() override;
    PgEventChannel(const PgEventChannel &) = delete;
    PgEventChannel &operator=(const PgEventChannel &) = delete;

    void forward(const Event &event) override;

    static QByteArray encode(const Event &event);
    static std::optional<Event> decode(const QByteArray &payload);

private:
    QThread m_thread;
    EventChannelWorker *m_worker = nullptr; // lives in m_thread
};

} // namespace Outpost::Server
