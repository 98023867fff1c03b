// outpost: the desktop admin app. `outpost --headless [serve options]` runs the server only.
#include "connection/embeddedserver.h"
#include "core/version.h"
#include "mainwindow.h"
#include "settings/appearance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <cstring>

namespace {

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("outpost"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Outpost::kVersion));
}

// The system locale, unless Settings ▸ Language chose another. Qt's catalogue comes from Qt's
// directory, the app's from OUTPOST_QM_RELDIR beside the binary: <prefix>/share/outpost/
// translations when installed, the same layout in the build tree.
void installTranslators(QTranslator &qtTranslator, QTranslator &translator)
{
    const QString chosen = QSettings().value(QStringLiteral("language")).toString();
    const QLocale locale = chosen.isEmpty() ? QLocale::system() : QLocale(chosen);
    QLocale::setDefault(locale);
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&qtTranslator);
    const QString dir =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral(OUTPOST_QM_RELDIR));
    if (translator.load(locale, QStringLiteral("outpost"), QStringLiteral("_"), dir))
        QCoreApplication::installTranslator(&translator);
}

bool hasArgument(int argc, char *argv[], std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (std::strcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

// `outpost --help` and `--version` answer without a display, which a QApplication would need.
int printHelpOrVersion(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    setIdentity();
    QTranslator qtTranslator;
    QTranslator translator;
    installTranslators(qtTranslator, translator);
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("Outpost::App::CommandLine",
        "Outpost admin console: runs an Outpost server on this computer or manages a remote "
        "one."));
    parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOption({QStringLiteral("headless"),
        QCoreApplication::translate("Outpost::App::CommandLine",
            "Serve the API without a window (outpost --headless --help lists its options).")});
    parser.parse(QCoreApplication::arguments()); // Qt's own options are no error here
    if (parser.isSet(version))
        parser.showVersion();
    parser.showHelp(0);
}

} // namespace

int main(int argc, char *argv[])
{
    if (hasArgument(argc, argv, {"--headless"}))
        return Outpost::App::EmbeddedServer::runHeadless(argc, argv);
    if (hasArgument(argc, argv, {"-h", "--help", "--help-all", "-v", "--version"}))
        return printHelpOrVersion(argc, argv);

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Outpost"));
    QApplication::setDesktopFileName(QStringLiteral("org.outpost.outpost"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/outpost.svg")));
    QTranslator qtTranslator;
    QTranslator translator;
    installTranslators(qtTranslator, translator);
    Outpost::App::Appearance::apply(Outpost::App::Appearance::theme());

    Outpost::App::MainWindow window;
    window.show();
    window.openInitialConnection();
    return QApplication::exec();
}
