// Reads every #include in the tree and fails when a layer reaches where ARCHITECTURE.md says
// it must not. Runs in `make test` and `make lint`.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Include
{
    QString file; // relative to the source dir
    int line;
    QString target;
    bool quoted; // "..." (the project's own headers) rather than <...>
};

QList<Include> includesUnder(const QString &root, const QString &folder)
{
    QList<Include> found;
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]"));
    QDirIterator it(root + QLatin1Char('/') + folder,
        {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        int number = 0;
        while (!file.atEnd()) {
            ++number;
            const auto match = pattern.match(QString::fromUtf8(file.readLine()));
            if (match.hasMatch())
                found.append({path.mid(root.size() + 1), number, match.captured(2),
                    match.captured(1) == QLatin1String("\"")});
        }
    }
    return found;
}

QString describe(const Include &include)
{
    return QStringLiteral("%1:%2 includes %3")
        .arg(include.file)
        .arg(include.line)
        .arg(include.target);
}

} // namespace

class TestLayering final : public QObject
{
    Q_OBJECT

private:
    QString m_root = qEnvironmentVariable("OUTPOST_SOURCE_DIR");

    void forbid(const QString &folder, const QRegularExpression &forbidden, const QString &why,
        const QStringList &exemptFiles = {})
    {
        QStringList violations;
        for (const Include &include : includesUnder(m_root, folder)) {
            if (exemptFiles.contains(include.file))
                continue;
            if (forbidden.match(include.target).hasMatch())
                violations.append(describe(include));
        }
        if (!violations.isEmpty())
            QFAIL(qPrintable(
                why + QStringLiteral(":\n  ") + violations.join(QStringLiteral("\n  "))));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!m_root.isEmpty() && QFile::exists(m_root + QStringLiteral("/CMakeLists.txt")),
            "OUTPOST_SOURCE_DIR must name the source tree");
        QVERIFY(!includesUnder(m_root, QStringLiteral("server")).isEmpty());
    }

    void sharedHasNoServerGuiOrSql()
    {
        forbid(QStringLiteral("shared"),
            QRegularExpression(
                QStringLiteral("^(server/|app/|http/|db/|api/|services/"
                               ")|^Q(Widget|Application|HttpServer|Sql|AbstractHttpServer)|^Qt("
                               "Widgets|Gui|Sql|HttpServer)/")),
            QStringLiteral("shared/ is Qt Core + Network only"));
    }

    // outpostctl is a client like the app, without widgets: shared/ (with shared/client) only.
    void ctlUsesSharedOnly()
    {
        if (!QFile::exists(m_root + QStringLiteral("/ctl")))
            QSKIP("no ctl/ yet");
        QVERIFY(!includesUnder(m_root, QStringLiteral("ctl")).isEmpty());
        forbid(QStringLiteral("ctl"),
            QRegularExpression(QStringLiteral(
                "^(server/|app/|server\\.h|auth/|observability/|storage/|db/|http/|api/|"
                "services/|cli/)|^Q(Widget|Application|MainWindow|Dialog|HttpServer|Sql|"
                "AbstractHttpServer)|^Qt(Widgets|Gui|Sql|HttpServer)/|\\.\\./")),
            QStringLiteral("ctl/ is Qt Core + Network over shared/ only"));
    }

    void serverHasNoWidgets()
    {
        forbid(QStringLiteral("server"),
            QRegularExpression(QStringLiteral(
                "^(app/)|^Q(Widget|Application|MainWindow|Dialog)|^Qt(Widgets|Gui)/")),
            QStringLiteral("server/ never includes Qt Widgets or app/"));
    }

    // Every folder of server/ (the root included) against the layers it may reach: a quoted
    // include of "<folder>/..." names a layer, and only those listed may be named. The build
    // enforces the same rules (cmake/OutpostLayers.cmake, tests/layering/); this also catches
    // what a compiler would still follow, such as "../" paths.
    void serverLayers_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QStringList>("allowed");
        const auto with = [](std::initializer_list<const char *> layers) {
            QStringList allowed {
                QStringLiteral("core"), QStringLiteral("config"), QStringLiteral("models")};
            for (const char *layer : layers)
                allowed.append(QString::fromLatin1(layer));
            return allowed;
        };
        QTest::newRow("auth") << QStringLiteral("server/auth") << with({});
        QTest::newRow("observability") << QStringLiteral("server/observability") << with({});
        QTest::newRow("storage") << QStringLiteral("server/storage") << with({"auth"});
        QTest::newRow("db") << QStringLiteral("server/db") << with({});
        QTest::newRow("http") << QStringLiteral("server/http") << with({"auth", "observability"});
        QTest::newRow("services") << QStringLiteral("server/services")
                                  << with({"auth", "observability", "storage", "db"});
        QTest::newRow("api") << QStringLiteral("server/api")
                             << with({"auth", "observability", "storage", "http", "services"});
        QTest::newRow("root") << QStringLiteral("server")
                              << with({"auth", "observability", "storage", "db", "http", "services",
                                     "api"});
        QTest::newRow("cli") << QStringLiteral("server/cli")
                             << with({"auth", "observability", "storage", "db", "http", "services",
                                    "api"});
    }

    void serverLayers()
    {
        QFETCH(QString, folder);
        QFETCH(QStringList, allowed);
        static const QRegularExpression layerPath(QStringLiteral("^([a-z_]+)/"));
        const bool root = folder == QStringLiteral("server");
        const bool mayIncludeFacade = root || folder == QStringLiteral("server/cli");
        QStringList violations;
        for (const Include &include : includesUnder(m_root, folder)) {
            // The root's row is server/*.h and *.cpp only; each subfolder has its own row.
            if (root && include.file.count(QLatin1Char('/')) != 1)
                continue;
            if (!include.quoted)
                continue;
            const auto match = layerPath.match(include.target);
            if (match.hasMatch() && !allowed.contains(match.captured(1)))
                violations.append(describe(include));
            else if (include.target.startsWith(QStringLiteral("../")))
                violations.append(describe(include) + QStringLiteral(" (a ../ path)"));
            else if (include.target == QStringLiteral("server.h") && !mayIncludeFacade)
                violations.append(describe(include) + QStringLiteral(" (the facade is above)"));
        }
        QVERIFY2(violations.isEmpty(),
            qPrintable(folder + QStringLiteral(" may include only these layers: ")
                + allowed.join(QStringLiteral(", ")) + QStringLiteral(":\n  ")
                + violations.join(QStringLiteral("\n  "))));
    }

    void everyServerFolderHasARow()
    {
        const QStringList covered {QStringLiteral("auth"), QStringLiteral("observability"),
            QStringLiteral("storage"), QStringLiteral("db"), QStringLiteral("http"),
            QStringLiteral("services"), QStringLiteral("api"), QStringLiteral("cli")};
        const QStringList folders =
            QDir(m_root + QStringLiteral("/server")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(folders.size() >= 7);
        for (const QString &folder : folders)
            QVERIFY2(covered.contains(folder),
                qPrintable(
                    QStringLiteral("server/%1 has no row in serverLayers_data").arg(folder)));
    }

    void httpTypesStayInHttpAndApi()
    {
        const QRegularExpression http(QStringLiteral(
            "^(QHttpServer\\w*|QAbstractHttpServer|QtHttpServer/.*|http/.*|http_parser\\.h)$"));
        for (const QString &folder :
            {QStringLiteral("server/services"), QStringLiteral("server/db"),
                QStringLiteral("server/storage"), QStringLiteral("server/auth")}) {
            forbid(
                folder, http, QStringLiteral("HTTP types live only in server/http and server/api"));
        }
    }

    void sqlStaysInDb()
    {
        const QRegularExpression sql(QStringLiteral("^(QSql\\w*|QtSql/.*)$"));
        for (const QString &folder : {QStringLiteral("server/api"),
                 QStringLiteral("server/services"), QStringLiteral("server/http"),
                 QStringLiteral("server/storage"), QStringLiteral("server/auth")}) {
            forbid(folder, sql, QStringLiteral("SQL lives only in server/db"));
        }
    }

    void appReachesServerThroughOneFile()
    {
        if (!QFile::exists(m_root + QStringLiteral("/app")))
            QSKIP("no app/ yet");
        forbid(QStringLiteral("app"),
            QRegularExpression(QStringLiteral("^(\\.\\./|server/|http/|db/|api/|services/|"
                                              "storage/|auth/|observability/|cli/)")),
            QStringLiteral("app/ reaches server/ only through server.h"));
        forbid(QStringLiteral("app"), QRegularExpression(QStringLiteral("^server\\.h$")),
            QStringLiteral("app/ includes server.h only in app/connection/embeddedserver.cpp"),
            {QStringLiteral("app/connection/embeddedserver.cpp")});
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
