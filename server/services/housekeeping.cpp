#include "housekeeping.h"

#include "db/database.h"

#include <QTimer>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace Outpost::Server {

namespace {

// QThread::wait() joins the thread inside Debian's uninstrumented libQt6Core, so ThreadSanitizer
// does not see that everything the thread did happens before wait() returns, and reports the
// destruction of what it used (the jobs, the timer's event dispatcher) as a race. The thread
// releases this object as its last step and stop() acquires it after wait(): the ordering the
// join gives, made visible. Nothing outside the tsan build.
void joinRelease([[maybe_unused]] const void *object)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(const_cast<void *>(object));
#endif
}

void joinAcquire([[maybe_unused]] const void *object)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(const_cast<void *>(object));
#endif
}

} // namespace

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
    // quit() wakes the thread's event dispatcher, which the thread made (its eventfd) before
    // run(): run() releases m_thread once it exists, for the same reason as below.
    joinAcquire(&m_thread);
    m_thread.quit();
    m_thread.wait();
    joinAcquire(this);
}

void Housekeeping::runJobs()
{
    for (const Job &job : m_jobs)
        job();
}

void Housekeeping::Thread::run()
{
    joinRelease(this);
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
    joinRelease(&m_owner);
}

} // namespace Outpost::Server
