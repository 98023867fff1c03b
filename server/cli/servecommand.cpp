#include "servecommand.h"

#include "cli.h"
#include "server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#ifdef Q_OS_WIN
#include <QSemaphore>

#include <utility>
#include <windows.h>
#else
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace Outpost::Server::Cli {

namespace {

#ifdef Q_OS_WIN
// Windows has no SIGTERM: Ctrl+C, Ctrl+Break, closing the console window, logoff and shutdown
// reach a console program as control events, each on a thread of its own.
Server *g_server = nullptr;
QSemaphore g_drained;

void drainAndExit() // on the main thread
{
    static bool stopping = false;
    if (std::exchange(stopping, true))
        return;
    qInfo("shutting down: draining requests in progress");
    g_server->stop();
    qInfo("stopped");
    g_drained.release();
    QCoreApplication::exit(Ok);
}

BOOL WINAPI onConsoleEvent(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        QMetaObject::invokeMethod(qApp, &drainAndExit, Qt::QueuedConnection);
        return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        // Windows ends the process once this returns, and after about 5 s anyway: drain first.
        QMetaObject::invokeMethod(qApp, &drainAndExit, Qt::QueuedConnection);
        g_drained.tryAcquire(1, 4500);
        return TRUE;
    default:
        return FALSE;
    }
}
#else
int g_signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    const char byte = signal == SIGHUP ? 'h' : 't';
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

bool openSignalPipe()
{
#ifdef SOCK_CLOEXEC
    return ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) == 0;
#else
    // macOS has no SOCK_CLOEXEC: a child started between these calls would inherit the pair.
    return ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0
        && ::fcntl(g_signalPipe[0], F_SETFD, FD_CLOEXEC) == 0
        && ::fcntl(g_signalPipe[1], F_SETFD, FD_CLOEXEC) == 0;
#endif
}
#endif

} // namespace

Result<Config> loadConfig(const QCommandLineParser &parser, const ServeOptions &options)
{
    ConfigSources sources;
    sources.environment = QProcessEnvironment::systemEnvironment();
    sources.configFile = parser.isSet(options.config)
        ? parser.value(options.config)
        : sources.environment.value(QStringLiteral("OUTPOST_CONFIG"));
    sources.dotEnvFile = QDir::current().filePath(QStringLiteral(".env"));
    if (parser.isSet(options.listen))
        sources.commandLine.insert(QStringLiteral("LISTEN"), parser.value(options.listen));
    if (parser.isSet(options.dataDir))
        sources.commandLine.insert(QStringLiteral("DATA_DIR"), parser.value(options.dataDir));
    if (parser.isSet(options.database))
        sources.commandLine.insert(QStringLiteral("DATABASE_URL"), parser.value(options.database));
    if (parser.isSet(options.threads))
        sources.commandLine.insert(QStringLiteral("THREADS"), parser.value(options.threads));
    if (parser.isSet(options.tlsCert))
        sources.commandLine.insert(QStringLiteral("TLS_CERT_FILE"), parser.value(options.tlsCert));
    if (parser.isSet(options.tlsKey))
        sources.commandLine.insert(QStringLiteral("TLS_KEY_FILE"), parser.value(options.tlsKey));
    if (parser.isSet(options.noMigrate))
        sources.commandLine.insert(QStringLiteral("MIGRATE"), QStringLiteral("false"));
    return ConfigLoader::load(sources);
}

int serve(const Config &config)
{
    Server::tuneAllocator();
    Server server(config);
    // SIGTERM / SIGINT: drain in-flight requests, then exit 0. Caught from before start(), so a
    // signal that comes while the server finishes starting (it already listens) is handled
    // once the event loop runs instead of killing the process.
#ifdef Q_OS_WIN
    g_server = &server;
    if (!::SetConsoleCtrlHandler(onConsoleEvent, TRUE))
        return failWith(QStringLiteral("cannot set up signal handling"));
    auto bound = server.start();
    if (!bound)
        return failWith(bound.error().detail);
    return QCoreApplication::exec();
#else
    if (!openSignalPipe())
        return failWith(QStringLiteral("cannot set up signal handling"));
    struct sigaction action
    { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    // SIGHUP (systemctl reload): read the TLS certificate and key again.
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    auto port = server.start();
    if (!port)
        return failWith(port.error().detail);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&server, &notifier] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        if (byte == 'h') {
            server.reloadTls();
            return;
        }
        notifier.setEnabled(false);
        qInfo("shutting down: draining requests in progress");
        server.stop();
        qInfo("stopped");
        QCoreApplication::exit(Ok);
    });
    return QCoreApplication::exec();
#endif
}

} // namespace Outpost::Server::Cli
