#include "housekeeping.h"

#include "db/database.h"

#include <QTimer>

namespace Outpost::Server {

Housekeeping::Housekeeping(const Database &database, std::chrono::milliseconds interval)
    : m_database(database)
    , m_interval(interval)
{
    m_thread.setObjectName(QStringLiteral("housekeeping"));
}

Housekeeping::~Housekeeping()
{
    stop();
}

void Housekeeping::addJob(Job job)
{
    Q_ASSERT(!m_thread.isRunning());
    m_jobs.push_back(std::move(job));
}

void Housekeeping::start(FirstRun first)
{
    m_firstRunOnThread = first == FirstRun::OnThread;
    if (!m_firstRunOnThread)
        runJobs();
    m_thread.start(QThread::LowPriority);
}

void Housekeeping::stop()
{
    // quit() before the thread reached exec() makes exec() return at once.
    m_thread.quit();
    m_thread.wait();
}

void Housekeeping::runJobs()
{
    for (const Job &job : m_jobs)
        job();
}

void Housekeeping::Thread::run()
{
    if (m_owner.m_firstRunOnThread)
        m_owner.runJobs();
    {
        QTimer timer;
        timer.setInterval(m_owner.m_interval);
        QObject::connect(&timer, &QTimer::timeout, [this] { m_owner.runJobs(); });
        timer.start();
        exec();
    }
    m_owner.m_database.closeThreadConnection();
}

} // namespace Outpost::Server
