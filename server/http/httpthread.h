#pragma once

#include "core/result.h"
#include "httpengine.h"

#include <QHostAddress>
#include <QThread>

#include <functional>
#include <memory>
#include <semaphore>

namespace Outpost::Server {

class Metrics;
class Router;

// One HTTP thread: its engine is created, listens, serves and is destroyed inside run().
class HttpThread final : public QThread
{
public:
    // What the thread needs beyond the engine, given by the layers above HTTP.
    struct Hooks
    {
        // Called on the thread once its engine exists; what it returns lives on the thread
        // until the engine goes (the event hub its WebSocket clients are handed to).
        std::function<std::unique_ptr<QObject>(HttpEngine &engine)> attach;
        // Called on the thread as its last act, after the engine is gone (closes its database
        // connection).
        std::function<void()> finished;
    };

    HttpThread(const Router &router, Metrics &metrics, HttpSettings settings,
        Authenticator authenticator, Hooks hooks, const QHostAddress &address, quint16 port);
    // Destroy only after wait() (the owner's job): the thread must have ended.
    ~HttpThread() override;

    // Blocks until the thread listens (or failed to). With a `first` thread already listening,
    // listens on that thread's socket rather than binding another.
    Result<quint16> startListening(const HttpThread *first = nullptr);
    // Stops accepting; the thread ends when its connections are done or after `graceMs`.
    void drain(int graceMs);

protected:
    void run() override;

private:
    const Router &m_router;
    Metrics &m_metrics;
    HttpSettings m_settings;
    Authenticator m_authenticator;
    Hooks m_hooks;
    QHostAddress m_address;
    quint16 m_port;
    qintptr m_sharedDescriptor = -1; // the first thread's listening socket
    qintptr m_descriptor = -1;       // this thread's, set once it listens
    HttpEngine *m_engine = nullptr;
    // Released by run() once it listens. A standard semaphore rather than QSemaphore, so that
    // ThreadSanitizer sees this hand-over (Debian's Qt is not instrumented).
    std::binary_semaphore m_ready {0};
    Result<quint16> m_result = quint16(0);
};

} // namespace Outpost::Server
