// `outpost --headless`: the desktop executable serving like `outpost-server serve`, declared in
// server.h for the app.
#include "cli.h"
#include "core/version.h"
#include "observability/logging.h"
#include "servecommand.h"
#include "server.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Outpost::Server {

int runHeadless(int argc, char *argv[])
{
    Cli::setProgramName("outpost");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("outpost"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Outpost without a window: serves the HTTP API like `outpost-server serve`."));
    parser.addHelpOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("No window."));
    const Cli::ServeOptions options;
    parser.addOption(headless);
    parser.addOptions(options.all());
    parser.addPositionalArgument(QStringLiteral("serve"), QStringLiteral("optional"));
    if (!parser.parse(QCoreApplication::arguments()))
        return Cli::failWith(parser.errorText(), Cli::Usage);
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(Cli::Ok);
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional != QStringList {QStringLiteral("serve")}) {
        return Cli::failWith(
            QStringLiteral("only `serve` runs headless; use outpost-server for the rest"),
            Cli::Usage);
    }
    auto config = Cli::loadConfig(parser, options);
    if (!config)
        return Cli::failWith(config.error().detail, Cli::Usage);
    Logging::install(config->logFormat);
    return Cli::serve(*config);
}

} // namespace Outpost::Server
