#include "httpthread.h"

#include "core/tsanhandoff.h"

#include <QElapsedTimer>
#include <QTimer>

namespace Outpost::Server {

HttpThread::HttpThread(const Router &router, Metrics &metrics, HttpSettings settings,
    Authenticator authenticator, Hooks hooks, const QHostAddress &address, quint16 port)
    : m_router(router)
    , m_metrics(metrics)
    , m_settings(std::move(settings))
    , m_authenticator(std::move(authenticator))
    , m_hooks(std::move(hooks))
    , m_address(address)
    , m_port(port)
{ }

HttpThread::~HttpThread()
{
    // wait() joined the thread inside uninstrumented libQt6Core: tell ThreadSanitizer that
    // run()'s last steps happen before the members go (see tsanhandoff.h).
    TsanHandOff::acquire();
}

Result<quint16> HttpThread::startListening(const HttpThread *first)
{
    m_sharedDescriptor = first ? first->m_descriptor : -1;
    start();
    m_ready.acquire();
    return m_result;
}

void HttpThread::drain(int graceMs)
{
    QMetaObject::invokeMethod(m_engine, TsanHandOff::handOver([this, graceMs] {
        m_engine->beginDrain();
        auto *timer = new QTimer(m_engine);
        QElapsedTimer clock;
        clock.start();
        timer->setInterval(20);
        QObject::connect(timer, &QTimer::timeout, m_engine, [this, timer, clock, graceMs] {
            const bool idle = m_engine->openConnections() == 0 && m_engine->pendingReplies() == 0;
            if (idle || clock.elapsed() > graceMs) {
                timer->stop();
                quit();
            }
        });
        timer->start();
    }));
}

void HttpThread::run()
{
    {
        HttpEngine engine(m_router, m_metrics, m_settings, m_authenticator);
        const std::unique_ptr<QObject> attached = m_hooks.attach ? m_hooks.attach(engine) : nullptr;
        m_engine = &engine;
        m_result = engine.listenShared(m_address, m_port, m_sharedDescriptor);
        m_descriptor = engine.listenerDescriptor();
        m_ready.release();
        if (m_result)
            exec();
        m_engine = nullptr;
    }
    if (m_hooks.finished)
        m_hooks.finished();
    TsanHandOff::release();
}

} // namespace Outpost::Server
