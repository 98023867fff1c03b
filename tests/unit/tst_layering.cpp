// Reads every #include in the tree and fails when a layer reaches where ARCHITECTURE.md says
// it must not. Runs in `make test` and `make lint`.
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
};

QList<Include> includesUnder(const QString &root, const QString &folder)
{
    QList<Include> found;
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"));
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
                found.append({path.mid(root.size() + 1), number, match.captured(1)});
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

    void serverHasNoWidgets()
    {
        forbid(QStringLiteral("server"),
            QRegularExpression(QStringLiteral(
                "^(app/)|^Q(Widget|Application|MainWindow|Dialog)|^Qt(Widgets|Gui)/")),
            QStringLiteral("server/ never includes Qt Widgets or app/"));
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

    void apiDoesNotReachTheDatabase()
    {
        forbid(QStringLiteral("server/api"), QRegularExpression(QStringLiteral("^db/")),
            QStringLiteral("server/api calls services, never repositories"));
    }

    void appReachesServerThroughOneFile()
    {
        if (!QFile::exists(m_root + QStringLiteral("/app")))
            QSKIP("no app/ yet");
        forbid(QStringLiteral("app"),
            QRegularExpression(
                QStringLiteral("^(server/|http/|db/|api/|services/|storage/|auth/)|^server\\.h$")),
            QStringLiteral("app/ reaches server/ only through app/connection/embeddedserver.cpp"),
            {QStringLiteral("app/connection/embeddedserver.cpp")});
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
