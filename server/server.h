#pragma once

#include "config/config.h"
#include "core/result.h"

#include <QObject>

#include <memory>

namespace Outpost::Server {

// The whole server behind one facade: used by outpost-server's `serve` and, in its own thread,
// by the desktop app's offline mode; the one header the app includes from server/. start()
// opens the database (applying migrations unless config.migrate is off), starts one HTTP
// thread per configured thread and the housekeeping thread, and returns the bound port. stop()
// drains: no new connections, requests in progress finish, then the threads end.
class Server final
{
public:
    explicit Server(Config config);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // The desktop app's offline admin: before start(), asks it to make sure `email` is an
    // enabled admin (creating it as `username` if missing) with a fresh random password for
    // this run only, kept in memory and never written down.
    void setLocalAdmin(const QString &email, const QString &username);
    // That password once start() succeeded; empty without setLocalAdmin().
    QString localAdminPassword() const;

    Result<quint16> start();
    void stop(int graceMs = 10'000);

    // SIGHUP: reads the TLS certificate and key again (see TlsContext); false (logged) when
    // they do not load or TLS is off, and the current pair stays.
    bool reloadTls();

    quint16 port() const;
    // The port of the OUTPOST_METRICS_LISTEN listener (0 when there is none).
    quint16 metricsPort() const;
    const Config &config() const;

    // glibc heap settings for a process that serves: call once from the executable that runs a
    // server (they apply to the whole process, so the library does not set them itself).
    static void tuneAllocator();

private:
    Status bootstrapAdmin();
    void appendOperationalMetrics(QByteArray &out) const;
    Status ensureLocalAdmin();

    struct Private;
    std::unique_ptr<Private> d;
};

// `outpost --headless [serve options]`: `outpost-server serve` in the desktop executable, with
// the same options, logging, signal handling (SIGTERM/SIGINT drain) and exit codes. Makes the
// QCoreApplication itself; returns the process exit code. Defined by the command line
// (server/cli/), which an executable calling it links.
int runHeadless(int argc, char *argv[]); // NOLINT(*-avoid-c-arrays): main()'s own signature

} // namespace Outpost::Server
