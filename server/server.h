#pragma once

#include "config/config.h"
#include "core/result.h"

#include <QObject>

#include <memory>

namespace Outpost::Server {

// The whole server behind one facade: used by outpost-server's main() and, in its own
// thread, by the desktop app's embedded mode. start() applies migrations (unless
// config.migrate is off), starts one HTTP thread per configured thread, and returns the
// bound port. stop() drains: no new connections, requests in progress finish, then the
// threads end.
class Server final
{
public:
    explicit Server(Config config);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    Result<quint16> start();
    void stop(int graceMs = 10'000);

    quint16 port() const;
    const Config &config() const;

private:
    Status bootstrapAdmin();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Outpost::Server
