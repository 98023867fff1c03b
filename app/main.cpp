// outpost: the desktop admin app. `outpost --headless [serve options]` runs the server only.
#include "connection/embeddedserver.h"
#include "core/version.h"
#include "mainwindow.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <cstring>

int main(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0)
            return Outpost::App::EmbeddedServer::runHeadless(argc, argv);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("outpost"));
    QApplication::setOrganizationName(QStringLiteral("Outpost"));
    QApplication::setApplicationDisplayName(QStringLiteral("Outpost"));
    QApplication::setApplicationVersion(QString::fromLatin1(Outpost::kVersion));
    QApplication::setDesktopFileName(QStringLiteral("org.outpost.Outpost"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/outpost.svg")));

    // The system locale, unless Settings ▸ Language chose another.
    const QString chosen = QSettings().value(QStringLiteral("language")).toString();
    const QLocale locale = chosen.isEmpty() ? QLocale::system() : QLocale(chosen);
    QLocale::setDefault(locale);
    QTranslator qtTranslator;
    if (qtTranslator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(
            locale, QStringLiteral("outpost"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    Outpost::App::MainWindow window;
    window.show();
    window.openInitialConnection();
    return QApplication::exec();
}
