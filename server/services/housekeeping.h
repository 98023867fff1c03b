#pragma once

#include <QThread>

#include <chrono>
#include <functional>
#include <vector>

namespace Outpost::Server {

class Database;

// Periodic clean-up (expired refresh tokens, ...) on a thread of its own, so it never holds up
// an HTTP thread. start() runs every job once on the calling thread, then the housekeeping
// thread runs them all again every `interval` until stop(). Jobs run one after another.
class Housekeeping final
{
public:
    using Job = std::function<void()>;

    Housekeeping(const Database &database, std::chrono::milliseconds interval);
    ~Housekeeping(); // stops
    Housekeeping(const Housekeeping &) = delete;
    Housekeeping &operator=(const Housekeeping &) = delete;

    // Where start() runs the jobs the first time: on the calling thread before it returns
    // (pruning before the server listens), or first thing on the housekeeping thread (a backup,
    // which must not hold up the start).
    enum class FirstRun { Here, OnThread };

    void addJob(Job job); // before start()
    void start(FirstRun first = FirstRun::Here);
    // Waits for a run in progress to end. Idempotent.
    void stop();

    std::chrono::milliseconds interval() const { return m_interval; }
    bool isRunning() const { return m_thread.isRunning(); }

private:
    class Thread final : public QThread
    {
    public:
        explicit Thread(Housekeeping &owner)
            : m_owner(owner)
        { }

    protected:
        void run() override;

    private:
        Housekeeping &m_owner;
    };

    void runJobs();

    const Database &m_database;
    std::chrono::milliseconds m_interval;
    std::vector<Job> m_jobs;
    bool m_firstRunOnThread = false;
    Thread m_thread {*this};
};

} // namespace Outpost::Server
