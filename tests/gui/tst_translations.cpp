// The German and French catalogues compiled for the app: complete and actually used.
#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

class TestTranslations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void translatesTheApp_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("posts");
        QTest::addColumn<QString>("offline");
        QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Beiträge")
                            << QStringLiteral("&Offline auf diesem Computer arbeiten");
        QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Publications")
                            << QStringLiteral("Travailler &hors ligne sur cet ordinateur");
    }

    void translatesTheApp()
    {
        QFETCH(QString, language);
        QFETCH(QString, posts);
        QFETCH(QString, offline);
        QTranslator translator;
        QVERIFY(
            translator.load(QStringLiteral("outpost_") + language, QStringLiteral(OUTPOST_QM_DIR)));
        QCOMPARE(translator.translate("Outpost::App::MainWindow", "Posts"), posts);
        QCOMPARE(
            translator.translate("Outpost::App::ConnectDialog", "Work &offline on this computer"),
            offline);
    }

    void everyMessageIsTranslated()
    {
        // lupdate marks what is missing as unfinished; a complete catalogue has none.
        for (const QString &language : {QStringLiteral("de"), QStringLiteral("fr")}) {
            QFile ts(qEnvironmentVariable("OUTPOST_SOURCE_DIR")
                + QStringLiteral("/translations/outpost_%1.ts").arg(language));
            QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
            const QByteArray text = ts.readAll();
            QVERIFY(text.contains("<translation>"));
            QVERIFY2(!text.contains("type=\"unfinished\""), qPrintable(language));
        }
    }

    void appLoadsTheCatalogueBesideItsBinary()
    {
        // <bin>/../share/outpost/translations, in the build tree as in an installed prefix.
        QProcess app;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("LC_ALL"));
        environment.remove(QStringLiteral("LC_MESSAGES"));
        environment.remove(QStringLiteral("LANGUAGE"));
        environment.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        app.setProcessEnvironment(environment);
        app.start(QStringLiteral(OUTPOST_APP_BIN), {QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(30'000));
        QCOMPARE(app.exitCode(), 0);
        QVERIFY2(app.readAllStandardOutput().contains("Outpost-Verwaltungskonsole"),
            "outpost --help is not in German");
    }

private:
    QTemporaryDir m_config; // no Settings ▸ Language of the user running the tests
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
