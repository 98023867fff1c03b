#include "config/config.h"
#include "config/dotenvfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost;

namespace {

// What a Config holds for one setting, as text, so data-driven rows can compare it.
QString shown(const Config &c, const QString &name)
{
    if (name == u"LISTEN") {
        return c.listenAddress.toString() + u'|' + QString::number(c.listenPort);
    }
    if (name == u"DATA_DIR") {
        return c.dataDir;
    }
    if (name == u"DATABASE_URL") {
        return c.databaseUrl;
    }
    if (name == u"FILE_STORE_URL") {
        return c.fileStoreUrl;
    }
    if (name == u"JWT_SECRET") {
        return QString::fromUtf8(c.jwtSecret);
    }
    if (name == u"ACCESS_TOKEN_TTL") {
        return QString::number(c.accessTokenTtlSeconds);
    }
    if (name == u"BCRYPT_COST") {
        return QString::number(c.bcryptCost);
    }
    if (name == u"MAX_BODY_BYTES") {
        return QString::number(c.maxBodyBytes);
    }
    if (name == u"CORS_ORIGINS") {
        return c.corsOrigins.join(u' ');
    }
    if (name == u"REGISTRATION") {
        return c.registrationOpen ? QStringLiteral("open") : QStringLiteral("closed");
    }
    if (name == u"LOG_FORMAT") {
        return c.logFormat == LogFormat::Json ? QStringLiteral("json") : QStringLiteral("text");
    }
    if (name == u"THREADS") {
        return QString::number(c.threads);
    }
    if (name == u"GITHUB_WEBHOOK_SECRET") {
        return QString::fromUtf8(c.githubWebhookSecret);
    }
    if (name == u"MIGRATE") {
        return c.migrate ? QStringLiteral("true") : QStringLiteral("false");
    }
    if (name == u"IDLE_TIMEOUT") {
        return QString::number(c.idleTimeoutSeconds);
    }
    if (name == u"HEADER_TIMEOUT") {
        return QString::number(c.headerTimeoutSeconds);
    }
    if (name == u"BODY_TIMEOUT") {
        return QString::number(c.bodyTimeoutSeconds);
    }
    if (name == u"MAX_CONNECTIONS") {
        return QString::number(c.maxConnections);
    }
    if (name == u"ADMIN_EMAIL") {
        return c.adminEmail;
    }
    if (name == u"ADMIN_PASSWORD") {
        return QString::fromUtf8(c.adminPassword);
    }
    if (name == u"TRUSTED_PROXIES") {
        QStringList subnets;
        for (const auto &[address, length] : c.trustedProxies)
            subnets.append(address.toString() + u'/' + QString::number(length));
        return subnets.join(u' ');
    }
    if (name == u"PUBLIC_URL") {
        return c.publicUrl;
    }
    if (name == u"RATE_LIMIT" || name == u"RATE_LIMIT_EXPENSIVE") {
        const RateLimitSetting &rate = name == u"RATE_LIMIT" ? c.rateLimit : c.expensiveRateLimit;
        return QStringLiteral("%1/%2").arg(rate.quota).arg(rate.windowSeconds);
    }
    if (name == u"RATE_LIMIT_LOOPBACK") {
        return c.rateLimitLoopback ? QStringLiteral("limited") : QStringLiteral("exempt");
    }
    if (name == u"WIKI_URL") {
        return c.wikiUrl.isEmpty() ? QStringLiteral("<off>") : c.wikiUrl;
    }
    if (name == u"WIKI_TIMEOUT") {
        return QString::number(c.wikiTimeoutSeconds);
    }
    return QStringLiteral("<no such setting in the test>");
}

QProcessEnvironment environment(std::initializer_list<std::pair<QString, QString>> variables)
{
    QProcessEnvironment env;
    for (const auto &[name, value] : variables) {
        env.insert(name, value);
    }
    return env;
}

QString detailOf(const Result<Config> &result)
{
    return result ? QStringLiteral("<loaded without error>") : result.error().detail;
}

} // namespace

class TestConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    // Layers
    void loadsBuiltInDefaultsWithNoSources();
    void commandLineWinsOverEveryLayer();
    void eachLayerOverridesTheOnesBelow_data();
    void eachLayerOverridesTheOnesBelow();
    void emptyValueLeavesTheLowerLayerInForce();
    void configFileAcceptsServerSection();
    void configFileKeepsCommasInValues();
    void unknownConfigFileKeyIsAnErrorNamingKeyAndFile();
    void unknownConfigFileSectionIsAnError();
    void configFileKeySetTwiceIsAnError();
    void missingConfigFileIsAnError();
    void unknownEnvironmentVariablesAreIgnored();
    void readsMailSettings();
    void unknownCommandLineSettingIsAnError();
    void tlsCertificateNeedsItsKey();
    void readsTlsAndMetricsSettings();
    void readsWebhookSettings();

    // Values
    void acceptsValidValues_data();
    void acceptsValidValues();
    void rejectsInvalidValuesNamingTheSetting_data();
    void rejectsInvalidValuesNamingTheSetting();
    void errorNamesTheSettingAsWrittenInEachLayer_data();
    void errorNamesTheSettingAsWrittenInEachLayer();
    void errorIsOneLineEvenForMultiLineValues();
    void reportsEveryInvalidSetting();
    void invalidValueInOverriddenLayerIsStillReported();

    // Secrets
    void listsSecretSettings();
    void secretFromFileHasTrailingNewlineTrimmed_data();
    void secretFromFileHasTrailingNewlineTrimmed();
    void secretFileKeepsBinaryBytes();
    void secretFileWorksInConfigFileAndCommandLine();
    void secretAndSecretFileInSameLayerIsAnError();
    void secretAndSecretFileInDifferentLayersFollowPrecedence();
    void missingSecretFileIsAnErrorNamingSettingAndVariable();
    void emptySecretFileIsAnError();
    void invalidSecretFromFileDoesNotLeakContents();
    void secretsNeverAppearInErrors();

    // .env
    void dotEnvParsesCommentsQuotesAndExport_data();
    void dotEnvParsesCommentsQuotesAndExport();
    void dotEnvRejectsMalformedLinesWithoutEchoingThem_data();
    void dotEnvRejectsMalformedLinesWithoutEchoingThem();
    void dotEnvFeedsOnlyOutpostVariables();
    void missingDotEnvFileIsFine();

    // LISTEN
    void parseListenAcceptsEveryForm_data();
    void parseListenAcceptsEveryForm();
    void parseListenRejectsBadForms_data();
    void parseListenRejectsBadForms();

    // Data directory and derived URLs
    void relativeDataDirIsMadeAbsolute();
    void emptyDataDirUsesTheAppDataLocation();
    void effectiveUrlsDeriveFromDataDir();
    void effectiveUrlsPreferExplicitSettings();

    // Single sign-on (issue 20)
    void oidcIsOffByDefault();
    void oidcDefaultProviderFromUnprefixedSettings();
    void oidcNamedProvidersComeAfterDefaultInListedOrder();
    void oidcIssuerMustBeHttpsExceptOnLoopback_data();
    void oidcIssuerMustBeHttpsExceptOnLoopback();
    void oidcProviderNeedsIssuerAndClientId();
    void oidcSettingsOfAnUnlistedProviderAreAnError();
    void oidcProvidersListRejectsBadNames_data();
    void oidcProvidersListRejectsBadNames();
    void oidcScopesMustIncludeOpenid();
    void passwordLoginTakesThreeWords();
    void passwordLoginOffNeedsAProvider();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    ConfigSources sources() const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestConfig::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestConfig::writeFile(const QString &name, const QByteArray &content)
{
    QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(content) != content.size()) {
        qFatal("cannot write a test file");
    }
    return path;
}

// Sources with a data dir so no test touches the real AppDataLocation.
ConfigSources TestConfig::sources() const
{
    ConfigSources s;
    s.environment = environment({{QStringLiteral("OUTPOST_DATA_DIR"), m_dir->path()}});
    return s;
}

// --- Layers -------------------------------------------------------------------------------------

void TestConfig::loadsBuiltInDefaultsWithNoSources()
{
    const Result<Config> loaded = ConfigLoader::load(sources());
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    const Config defaults;
    QCOMPARE(loaded->listenAddress, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(loaded->listenPort, defaults.listenPort);
    QCOMPARE(loaded->bcryptCost, defaults.bcryptCost);
    QCOMPARE(loaded->maxBodyBytes, defaults.maxBodyBytes);
    QCOMPARE(loaded->corsOrigins, QStringList());
    QVERIFY(loaded->jwtSecret.isEmpty());
    QVERIFY(loaded->databaseUrl.isEmpty());
}

void TestConfig::commandLineWinsOverEveryLayer()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"), "bcrypt_cost=5\n");
    s.dotEnvFile = writeFile(QStringLiteral(".env"), "OUTPOST_BCRYPT_COST=6\n");
    s.environment.insert(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("7"));
    s.commandLine.insert(QStringLiteral("BCRYPT_COST"), QStringLiteral("8"));

    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->bcryptCost, 8);
}

void TestConfig::eachLayerOverridesTheOnesBelow_data()
{
    QTest::addColumn<int>("layers"); // how many layers, from the lowest, are present
    QTest::addColumn<int>("expected");
    QTest::newRow("defaults only") << 0 << Config().bcryptCost;
    QTest::newRow("config file") << 1 << 5;
    QTest::newRow(".env over config file") << 2 << 6;
    QTest::newRow("environment over .env") << 3 << 7;
    QTest::newRow("command line over environment") << 4 << 8;
}

void TestConfig::eachLayerOverridesTheOnesBelow()
{
    QFETCH(int, layers);
    QFETCH(int, expected);
    ConfigSources s = sources();
    if (layers >= 1) {
        s.configFile = writeFile(QStringLiteral("outpost.ini"), "bcrypt_cost=5\n");
    }
    if (layers >= 2) {
        s.dotEnvFile = writeFile(QStringLiteral(".env"), "OUTPOST_BCRYPT_COST=6\n");
    }
    if (layers >= 3) {
        s.environment.insert(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("7"));
    }
    if (layers >= 4) {
        s.commandLine.insert(QStringLiteral("BCRYPT_COST"), QStringLiteral("8"));
    }
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->bcryptCost, expected);
}

void TestConfig::emptyValueLeavesTheLowerLayerInForce()
{
    ConfigSources s = sources();
    s.dotEnvFile = writeFile(QStringLiteral(".env"), "OUTPOST_THREADS=3\n");
    s.environment.insert(QStringLiteral("OUTPOST_THREADS"), QString());
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->threads, 3);
}

void TestConfig::configFileAcceptsServerSection()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"),
        "listen=127.0.0.1:9000\n[server]\nbcrypt_cost=5\nlog_format=text\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->listenPort, quint16(9000));
    QCOMPARE(loaded->bcryptCost, 5);
    QCOMPARE(loaded->logFormat, LogFormat::Text);
}

void TestConfig::configFileKeepsCommasInValues()
{
    ConfigSources s = sources();
    s.configFile = writeFile(
        QStringLiteral("outpost.ini"), "cors_origins=https://a.example, http://b.example:8080\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->corsOrigins,
        QStringList(
            {QStringLiteral("https://a.example"), QStringLiteral("http://b.example:8080")}));
}

void TestConfig::unknownConfigFileKeyIsAnErrorNamingKeyAndFile()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"), "[server]\nbcrypt_csot=10\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Validation);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("bcrypt_csot in %1: unknown setting (did you mean bcrypt_cost?)")
            .arg(s.configFile));
}

void TestConfig::unknownConfigFileSectionIsAnError()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"), "[database]\nurl=sqlite:///x\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.startsWith(QStringLiteral("[database] in ") + s.configFile),
        qPrintable(loaded.error().detail));
}

void TestConfig::configFileKeySetTwiceIsAnError()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"), "threads=2\n[server]\nthreads=3\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.contains(QStringLiteral("set twice")),
        qPrintable(loaded.error().detail));
}

void TestConfig::missingConfigFileIsAnError()
{
    ConfigSources s = sources();
    s.configFile = m_dir->filePath(QStringLiteral("absent.ini"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(
        loaded.error().detail, s.configFile + QStringLiteral(": the config file does not exist"));
}

void TestConfig::unknownEnvironmentVariablesAreIgnored()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_NO_SUCH_SETTING"), QStringLiteral("x"));
    s.environment.insert(QStringLiteral("OUTPOST_LISTEN_FILE"), QStringLiteral("/nonexistent"));
    s.environment.insert(QStringLiteral("BCRYPT_COST"), QStringLiteral("abc"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
}

void TestConfig::tlsCertificateNeedsItsKey()
{
    ConfigSources s;
    s.commandLine.insert(QStringLiteral("DATA_DIR"), QStringLiteral("/tmp/outpost-config-test"));
    s.commandLine.insert(QStringLiteral("TLS_CERT_FILE"), QStringLiteral("/etc/outpost/tls.crt"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.contains(QStringLiteral("OUTPOST_TLS_KEY_FILE")),
        qPrintable(loaded.error().detail));
}

void TestConfig::readsTlsAndMetricsSettings()
{
    ConfigSources s;
    s.commandLine.insert(QStringLiteral("DATA_DIR"), QStringLiteral("/tmp/outpost-config-test"));
    s.environment.insert(QStringLiteral("OUTPOST_TLS_CERT_FILE"), QStringLiteral("/etc/o/tls.crt"));
    s.environment.insert(QStringLiteral("OUTPOST_TLS_KEY_FILE"), QStringLiteral("/etc/o/tls.key"));
    s.environment.insert(QStringLiteral("OUTPOST_METRICS_TOKEN"), QStringLiteral("t0ken"));
    s.environment.insert(QStringLiteral("OUTPOST_METRICS_LISTEN"), QStringLiteral("10.0.0.5:9464"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().detail));
    QVERIFY(loaded->tlsEnabled());
    QCOMPARE(loaded->tlsCertFile, QStringLiteral("/etc/o/tls.crt"));
    QCOMPARE(loaded->tlsKeyFile, QStringLiteral("/etc/o/tls.key"));
    QCOMPARE(loaded->metricsToken, QByteArray("t0ken"));
    QCOMPARE(loaded->metricsListenAddress, QHostAddress(QStringLiteral("10.0.0.5")));
    QCOMPARE(loaded->metricsListenPort, quint16(9464));
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("METRICS_TOKEN")));
    QVERIFY(!Config().tlsEnabled());
    QVERIFY(Config().metricsListenAddress.isNull());
}

void TestConfig::readsMailSettings()
{
    ConfigSources s;
    s.commandLine.insert(QStringLiteral("DATA_DIR"), QStringLiteral("/tmp/outpost-config-test"));
    s.environment.insert(
        QStringLiteral("OUTPOST_SMTP_URL"), QStringLiteral("smtp://mail.example.com:587"));
    s.environment.insert(QStringLiteral("OUTPOST_SMTP_USERNAME"), QStringLiteral("outpost"));
    s.environment.insert(QStringLiteral("OUTPOST_SMTP_PASSWORD"), QStringLiteral("p4ss"));
    s.environment.insert(
        QStringLiteral("OUTPOST_SMTP_FROM"), QStringLiteral("Outpost <outpost@example.com>"));
    s.environment.insert(QStringLiteral("OUTPOST_MAIL_DIGEST_WINDOW"), QStringLiteral("30s"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().detail));
    QVERIFY(loaded->mailEnabled());
    QCOMPARE(loaded->smtpUrl, QStringLiteral("smtp://mail.example.com:587"));
    QCOMPARE(loaded->smtpUsername, QStringLiteral("outpost"));
    QCOMPARE(loaded->smtpPassword, QByteArray("p4ss"));
    QCOMPARE(loaded->smtpFrom, QStringLiteral("Outpost <outpost@example.com>"));
    QCOMPARE(loaded->mailDigestWindowSeconds, 30);
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("SMTP_PASSWORD")));
    QVERIFY(!Config().mailEnabled());
    QCOMPARE(Config().mailDigestWindowSeconds, 300);

    // A URL without a sender is a mistake caught at start.
    s.environment.remove(QStringLiteral("OUTPOST_SMTP_FROM"));
    const Result<Config> noFrom = ConfigLoader::load(s);
    QVERIFY(!noFrom);
    QVERIFY2(noFrom.error().detail.contains(QStringLiteral("OUTPOST_SMTP_FROM")),
        qPrintable(noFrom.error().detail));
}

void TestConfig::unknownCommandLineSettingIsAnError()
{
    ConfigSources s = sources();
    s.commandLine.insert(QStringLiteral("THREAD"), QStringLiteral("2"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("--thread: unknown setting (did you mean --threads?)"));
}

// --- Values -------------------------------------------------------------------------------------

void TestConfig::acceptsValidValues_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // as shown()
    const auto row = [](const char *name, const char *value, const char *expected) {
        QTest::addRow("%s=%s", name, value)
            << QString::fromLatin1(name) << QString::fromUtf8(value) << QString::fromUtf8(expected);
    };
    row("LISTEN", "0.0.0.0:9000", "0.0.0.0|9000");
    row("LISTEN", " 9001 ", "127.0.0.1|9001");
    row("DATA_DIR", "/srv/outpost/", "/srv/outpost");
    row("DATABASE_URL", "sqlite:///var/lib/outpost/outpost.db",
        "sqlite:///var/lib/outpost/outpost.db");
    row("DATABASE_URL", "postgresql://u:p@db:5432/outpost", "postgresql://u:p@db:5432/outpost");
    row("DATABASE_URL", "postgres://db/outpost", "postgres://db/outpost");
    row("DATABASE_URL", "sqlite::memory:", "sqlite::memory:");
    row("FILE_STORE_URL", "file:///srv/files", "file:///srv/files");
    row("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7,::1", "10.0.0.0/8 192.168.1.7/32 ::1/128");
    row("TRUSTED_PROXIES", "fd00::/8", "fd00::/8");
    row("PUBLIC_URL", "https://outpost.example.com/", "https://outpost.example.com");
    row("PUBLIC_URL", "https://example.com/outpost", "https://example.com/outpost");
    row("RATE_LIMIT", "1200/min", "1200/60");
    row("RATE_LIMIT", "20/s", "20/1");
    row("RATE_LIMIT", "OFF", "0/60");
    row("RATE_LIMIT_EXPENSIVE", "100/h", "100/3600");
    row("RATE_LIMIT_LOOPBACK", "limited", "limited");
    row("WIKI_URL", "http://127.0.0.1:8081/api/rest_v1/", "http://127.0.0.1:8081/api/rest_v1");
    row("WIKI_URL", "OFF", "<off>");
    row("WIKI_TIMEOUT", "30s", "30");
    row("FILE_STORE_URL", "file:///srv/my files", "file:///srv/my files");
    row("FILE_STORE_URL", "s3://bucket/prefix", "s3://bucket/prefix");
    row("JWT_SECRET", "a secret with spaces ", "a secret with spaces ");
    row("ACCESS_TOKEN_TTL", "60", "60");
    row("ACCESS_TOKEN_TTL", "90s", "90");
    row("ACCESS_TOKEN_TTL", "15m", "900");
    row("ACCESS_TOKEN_TTL", "24h", "86400");
    row("BCRYPT_COST", "4", "4");
    row("BCRYPT_COST", "31", "31");
    row("MAX_BODY_BYTES", "1024", "1024");
    row("MAX_BODY_BYTES", "1KiB", "1024");
    row("MAX_BODY_BYTES", "32 MiB", "33554432");
    row("MAX_BODY_BYTES", "4GiB", "4294967296");
    row("MAX_BODY_BYTES", "2mib", "2097152");
    row("CORS_ORIGINS", "*", "*");
    row("CORS_ORIGINS", "https://a.example,http://localhost:5173",
        "https://a.example http://localhost:5173");
    row("CORS_ORIGINS", "HTTPS://A.Example:443", "https://a.example");
    row("CORS_ORIGINS", "http://[::1]:8080", "http://[::1]:8080");
    row("REGISTRATION", "closed", "closed");
    row("REGISTRATION", "Open", "open");
    row("LOG_FORMAT", "text", "text");
    row("LOG_FORMAT", "JSON", "json");
    row("THREADS", "0", "0");
    row("THREADS", "256", "256");
    row("GITHUB_WEBHOOK_SECRET", "whsec", "whsec");
    row("MIGRATE", "off", "false");
    row("MIGRATE", "0", "false");
    row("MIGRATE", "no", "false");
    row("MIGRATE", "FALSE", "false");
    row("MIGRATE", "yes", "true");
    row("MIGRATE", "on", "true");
    row("MIGRATE", "1", "true");
    row("IDLE_TIMEOUT", "1", "1");
    row("IDLE_TIMEOUT", "1h", "3600");
    row("HEADER_TIMEOUT", "30s", "30");
    row("BODY_TIMEOUT", "2m", "120");
    row("MAX_CONNECTIONS", "1", "1");
    row("MAX_CONNECTIONS", "1000000", "1000000");
    row("ADMIN_EMAIL", " admin@example.com ", "admin@example.com");
    row("ADMIN_PASSWORD", "S3cure-enough", "S3cure-enough");
}

void TestConfig::acceptsValidValues()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_") + name, value);
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(shown(*loaded, name), expected);
}

void TestConfig::readsWebhookSettings()
{
    const Config defaults;
    QVERIFY(!defaults.webhookAllowPrivate);
    QCOMPARE(defaults.webhookTimeoutSeconds, 10);
    QCOMPARE(defaults.webhookDisableAfterSeconds, 5 * 86400);
    qint64 total = 0;
    for (const int delay : defaults.webhookRetrySchedule)
        total += delay;
    QVERIFY(total >= 20 * 3600 && total <= 30 * 3600); // about a day

    ConfigSources s;
    s.commandLine.insert(QStringLiteral("DATA_DIR"), QStringLiteral("/tmp/outpost-config-test"));
    s.environment.insert(QStringLiteral("OUTPOST_WEBHOOK_ALLOW_PRIVATE"), QStringLiteral("true"));
    s.environment.insert(QStringLiteral("OUTPOST_WEBHOOK_TIMEOUT"), QStringLiteral("3s"));
    s.environment.insert(
        QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("1s, 5m,2h"));
    s.environment.insert(QStringLiteral("OUTPOST_WEBHOOK_DISABLE_AFTER"), QStringLiteral("1h"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().detail));
    QVERIFY(loaded->webhookAllowPrivate);
    QCOMPARE(loaded->webhookTimeoutSeconds, 3);
    QCOMPARE(loaded->webhookRetrySchedule, (QList<int> {1, 300, 7200}));
    QCOMPARE(loaded->webhookDisableAfterSeconds, 3600);

    for (const QString &bad :
        {QStringLiteral("soon"), QStringLiteral(","), QStringLiteral("1s,0s")}) {
        ConfigSources wrong = s;
        wrong.environment.insert(QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"), bad);
        const Result<Config> refused = ConfigLoader::load(wrong);
        QVERIFY2(!refused, qPrintable(bad));
        QCOMPARE(refused.error().fields.value(0).field,
            QStringLiteral("OUTPOST_WEBHOOK_RETRY_SCHEDULE"));
    }
}

void TestConfig::rejectsInvalidValuesNamingTheSetting_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("allowed");
    const auto row = [](const char *name, const char *value, const char *allowed) {
        QTest::addRow("%s=%s", name, value)
            << QString::fromLatin1(name) << QString::fromUtf8(value) << QString::fromUtf8(allowed);
    };
    const char *listen = "must be HOST:PORT, [IPV6]:PORT, :PORT or PORT";
    row("LISTEN", "example.com:80", listen);
    row("ADMIN_EMAIL", "not-an-email", "must be an email address");
    row("LISTEN", "127.0.0.1:99999", listen);
    row("DATABASE_URL", "mysql://db/outpost", "must be sqlite:///PATH or postgresql://");
    row("DATABASE_URL", "sqlite:relative.db", "must be sqlite:///PATH or postgresql://");
    row("DATABASE_URL", "postgresql:db", "must be sqlite:///PATH or postgresql://");
    row("FILE_STORE_URL", "/srv/files", "must be file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]");
    row("FILE_STORE_URL", "file://relative/x", "must be file:///ABSOLUTE/PATH");
    row("FILE_STORE_URL", "s3:///prefix", "must be file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]");
    const char *ttl =
        "must be a number of seconds from 60 to 86400, optionally with suffix s, m, h or d";
    row("ACCESS_TOKEN_TTL", "59", ttl);
    row("ACCESS_TOKEN_TTL", "25h", ttl);
    row("ACCESS_TOKEN_TTL", "15min", ttl);
    row("ACCESS_TOKEN_TTL", "-60", ttl);
    row("ACCESS_TOKEN_TTL", "1.5h", ttl);
    const char *cost = "must be an integer from 4 to 31";
    row("BCRYPT_COST", "abc", cost);
    row("BCRYPT_COST", "3", cost);
    row("BCRYPT_COST", "32", cost);
    row("BCRYPT_COST", "+10", cost);
    row("BCRYPT_COST", "0x0c", cost);
    row("BCRYPT_COST", "99999999999999999999", cost);
    const char *body = "must be a size from 1 KiB to 4 GiB";
    row("MAX_BODY_BYTES", "1023", body);
    row("MAX_BODY_BYTES", "5GiB", body);
    row("MAX_BODY_BYTES", "32MB", body);
    row("MAX_BODY_BYTES", "32M", body);
    row("MAX_BODY_BYTES", "lots", body);
    const char *cors = "must be a comma-separated list of origins";
    row("CORS_ORIGINS", "https://a.example/", cors);
    row("CORS_ORIGINS", "a.example", cors);
    row("CORS_ORIGINS", "https://a.example/app", cors);
    row("CORS_ORIGINS", "*,https://a.example", cors);
    row("CORS_ORIGINS", "https://user@a.example", cors);
    const char *subnets = "must be a comma-separated list of IP addresses or CIDR subnets";
    row("TRUSTED_PROXIES", "10.0.0.0/33", subnets);
    row("TRUSTED_PROXIES", "10.0.0.0/8,proxy.example", subnets);
    row("TRUSTED_PROXIES", "10.0.0.0/x", subnets);
    row("PUBLIC_URL", "outpost.example.com", "must be an http:// or https:// URL");
    row("PUBLIC_URL", "https://example.com/?a=1", "must be an http:// or https:// URL");
    const char *rate = "must be N/s, N/min or N/h with N from 1 to 1000000, or off";
    row("RATE_LIMIT", "1200", rate);
    row("RATE_LIMIT", "0/min", rate);
    row("RATE_LIMIT", "10/day", rate);
    row("RATE_LIMIT", "1000001/s", rate);
    row("RATE_LIMIT_LOOPBACK", "yes", "must be exempt or limited");
    row("WIKI_URL", "en.wikipedia.org/api/rest_v1", "must be an http:// or https:// URL or off");
    row("WIKI_TIMEOUT", "0", "must be a number of seconds from 1 to 120");
    row("REGISTRATION", "maybe", "must be open or closed");
    row("LOG_FORMAT", "xml", "must be json or text");
    row("THREADS", "257", "must be an integer from 0 to 256");
    row("THREADS", "-1", "must be an integer from 0 to 256");
    row("MIGRATE", "sure", "must be true, false, 1, 0, yes, no, on or off");
    row("IDLE_TIMEOUT", "0", "must be a number of seconds from 1 to 3600");
    row("HEADER_TIMEOUT", "2h", "must be a number of seconds from 1 to 3600");
    row("BODY_TIMEOUT", "3601", "must be a number of seconds from 1 to 3600");
    row("MAX_CONNECTIONS", "0", "must be an integer from 1 to 1000000");
    row("MAX_CONNECTIONS", "1000001", "must be an integer from 1 to 1000000");
    const char *smtp = "must be smtp://HOST[:PORT] (STARTTLS required)";
    row("SMTP_URL", "http://mail.example.com", smtp);
    row("SMTP_URL", "smtp://user:pw@mail.example.com", smtp);
    row("SMTP_URL", "smtps://mail.example.com?starttls=off", smtp);
    row("SMTP_URL", "smtp://mail.example.com?starttls=no", smtp);
    row("SMTP_FROM", "Outpost <no-at>", "must be an e-mail address");
    row("SMTP_FROM", "Outpost <a b@example.com>", "must be an e-mail address");
    row("MAIL_DIGEST_WINDOW", "0", "must be a number of seconds from 1 to 86400");
}

void TestConfig::rejectsInvalidValuesNamingTheSetting()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, allowed);
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_") + name, value);
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    const Error &e = loaded.error();
    QCOMPARE(e.code, ErrorCode::Validation);
    QVERIFY2(
        e.detail.startsWith(QStringLiteral("OUTPOST_") + name + QStringLiteral(": ") + allowed),
        qPrintable(e.detail));
    QCOMPARE(e.fields.size(), 1);
    QCOMPARE(e.fields.first().field, QStringLiteral("OUTPOST_") + name);
    if (ConfigLoader::isSecret(name)) {
        QVERIFY2(!e.detail.contains(value), qPrintable(e.detail));
    } else {
        QVERIFY2(
            e.detail.endsWith(QStringLiteral(" (got \"%1\")").arg(value)), qPrintable(e.detail));
    }
}

void TestConfig::errorNamesTheSettingAsWrittenInEachLayer_data()
{
    QTest::addColumn<QString>("layer");
    QTest::newRow("config file") << QStringLiteral("file");
    QTest::newRow(".env") << QStringLiteral("dotenv");
    QTest::newRow("environment") << QStringLiteral("env");
    QTest::newRow("command line") << QStringLiteral("cli");
}

void TestConfig::errorNamesTheSettingAsWrittenInEachLayer()
{
    QFETCH(QString, layer);
    ConfigSources s = sources();
    QString expected;
    if (layer == u"file") {
        s.configFile = writeFile(QStringLiteral("outpost.ini"), "bcrypt_cost=abc\n");
        expected = QStringLiteral("bcrypt_cost in ") + s.configFile;
    } else if (layer == u"dotenv") {
        s.dotEnvFile = writeFile(QStringLiteral(".env"), "OUTPOST_BCRYPT_COST=abc\n");
        expected = QStringLiteral("OUTPOST_BCRYPT_COST in ") + s.dotEnvFile;
    } else if (layer == u"env") {
        s.environment.insert(QStringLiteral("OUTPOST_BCRYPT_COST"), QStringLiteral("abc"));
        expected = QStringLiteral("OUTPOST_BCRYPT_COST");
    } else {
        s.commandLine.insert(QStringLiteral("BCRYPT_COST"), QStringLiteral("abc"));
        expected = QStringLiteral("--bcrypt-cost");
    }
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        expected + QStringLiteral(": must be an integer from 4 to 31 (got \"abc\")"));
}

void TestConfig::errorIsOneLineEvenForMultiLineValues()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_LOG_FORMAT"), QStringLiteral("json\nextra\x01"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_LOG_FORMAT: must be json or text (got \"json\\nextra\\u0001\")"));
}

void TestConfig::reportsEveryInvalidSetting()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_THREADS"), QStringLiteral("many"));
    s.commandLine.insert(QStringLiteral("MIGRATE"), QStringLiteral("perhaps"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().fields.size(), 2);
    QCOMPARE(loaded.error().fields.at(0).field, QStringLiteral("OUTPOST_THREADS"));
    QCOMPARE(loaded.error().fields.at(1).field, QStringLiteral("--migrate"));
    QVERIFY(!loaded.error().detail.contains(u'\n'));
}

void TestConfig::invalidValueInOverriddenLayerIsStillReported()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"), "threads=many\n");
    s.environment.insert(QStringLiteral("OUTPOST_THREADS"), QStringLiteral("2"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.startsWith(QStringLiteral("threads in ")),
        qPrintable(loaded.error().detail));
}

// --- Secrets ------------------------------------------------------------------------------------

void TestConfig::listsSecretSettings()
{
    const QStringList names = ConfigLoader::settingNames();
    QVERIFY(names.contains(QStringLiteral("LISTEN")));
    QVERIFY(names.contains(QStringLiteral("ADMIN_EMAIL")));
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("ADMIN_PASSWORD")));
    QVERIFY(!ConfigLoader::isSecret(QStringLiteral("ADMIN_EMAIL")));
    QVERIFY(names.contains(QStringLiteral("MAX_CONNECTIONS")));
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("JWT_SECRET")));
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("GITHUB_WEBHOOK_SECRET")));
    QVERIFY(ConfigLoader::isSecret(QStringLiteral("DATABASE_URL")));
    QVERIFY(!ConfigLoader::isSecret(QStringLiteral("LISTEN")));
    QVERIFY(!ConfigLoader::isSecret(QStringLiteral("NO_SUCH_SETTING")));
}

void TestConfig::secretFromFileHasTrailingNewlineTrimmed_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no newline") << QByteArray("s3cret") << QByteArray("s3cret");
    QTest::newRow("newline") << QByteArray("s3cret\n") << QByteArray("s3cret");
    QTest::newRow("crlf") << QByteArray("s3cret\r\n") << QByteArray("s3cret");
    QTest::newRow("inner newline and spaces kept")
        << QByteArray(" s3\ncret \n") << QByteArray(" s3\ncret ");
}

void TestConfig::secretFromFileHasTrailingNewlineTrimmed()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, expected);
    ConfigSources s = sources();
    s.environment.insert(
        QStringLiteral("OUTPOST_JWT_SECRET_FILE"), writeFile(QStringLiteral("jwt"), content));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->jwtSecret, expected);
}

void TestConfig::secretFileKeepsBinaryBytes()
{
    const QByteArray binary("\x00\xff\xfe\x80 key", 8);
    ConfigSources s = sources();
    s.dotEnvFile = writeFile(QStringLiteral(".env"),
        "OUTPOST_GITHUB_WEBHOOK_SECRET_FILE=" + writeFile(QStringLiteral("gh"), binary).toUtf8()
            + '\n');
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->githubWebhookSecret, binary);
}

void TestConfig::secretFileWorksInConfigFileAndCommandLine()
{
    ConfigSources s = sources();
    s.configFile = writeFile(QStringLiteral("outpost.ini"),
        "jwt_secret_file=" + writeFile(QStringLiteral("jwt"), "from-ini\n").toUtf8() + '\n');
    const Result<Config> fromIni = ConfigLoader::load(s);
    QVERIFY2(fromIni, qPrintable(detailOf(fromIni)));
    QCOMPARE(fromIni->jwtSecret, QByteArray("from-ini"));

    s.commandLine.insert(
        QStringLiteral("JWT_SECRET_FILE"), writeFile(QStringLiteral("jwt2"), "from-cli\n"));
    const Result<Config> fromCli = ConfigLoader::load(s);
    QVERIFY2(fromCli, qPrintable(detailOf(fromCli)));
    QCOMPARE(fromCli->jwtSecret, QByteArray("from-cli"));
}

void TestConfig::secretAndSecretFileInSameLayerIsAnError()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET"), QStringLiteral("inline-value"));
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET_FILE"),
        writeFile(QStringLiteral("jwt"), "file-value\n"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_JWT_SECRET: set together with OUTPOST_JWT_SECRET_FILE; set "
                       "only one of them"));
}

void TestConfig::secretAndSecretFileInDifferentLayersFollowPrecedence()
{
    ConfigSources s = sources();
    s.dotEnvFile = writeFile(QStringLiteral(".env"),
        "OUTPOST_JWT_SECRET_FILE=" + writeFile(QStringLiteral("jwt"), "from-file\n").toUtf8()
            + '\n');
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET"), QStringLiteral("from-env"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->jwtSecret, QByteArray("from-env"));
}

void TestConfig::missingSecretFileIsAnErrorNamingSettingAndVariable()
{
    ConfigSources s = sources();
    const QString path = m_dir->filePath(QStringLiteral("absent"));
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET_FILE"), path);
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    const QString detail = loaded.error().detail;
    QVERIFY2(detail.startsWith(QStringLiteral(
                 "OUTPOST_JWT_SECRET_FILE: the JWT_SECRET file \"%1\" cannot be read (")
                                   .arg(path)),
        qPrintable(detail));
}

void TestConfig::emptySecretFileIsAnError()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_GITHUB_WEBHOOK_SECRET_FILE"),
        writeFile(QStringLiteral("gh"), "\n"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(
        loaded.error().detail.startsWith(QStringLiteral("OUTPOST_GITHUB_WEBHOOK_SECRET_FILE: "))
            && loaded.error().detail.contains(QStringLiteral("is empty")),
        qPrintable(loaded.error().detail));
}

void TestConfig::invalidSecretFromFileDoesNotLeakContents()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_DATABASE_URL_FILE"),
        writeFile(QStringLiteral("db"), "mysql://root:hunter2@db/outpost\n"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    const QString detail = loaded.error().detail;
    QVERIFY2(detail.startsWith(QStringLiteral("OUTPOST_DATABASE_URL: must be sqlite:///PATH")),
        qPrintable(detail));
    QVERIFY2(!detail.contains(QStringLiteral("hunter2")), qPrintable(detail));
    QVERIFY2(!detail.contains(QStringLiteral("mysql")), qPrintable(detail));
}

void TestConfig::secretsNeverAppearInErrors()
{
    const QString secret = QStringLiteral("TOPSECRET-42");
    ConfigSources s = sources();
    // Secrets set in every way, next to errors in every layer.
    s.configFile = writeFile(QStringLiteral("outpost.ini"),
        "jwt_secret=TOPSECRET-42\nthreads=x\nnot_a_key=TOPSECRET-42\n");
    s.dotEnvFile = writeFile(QStringLiteral(".env"),
        "OUTPOST_GITHUB_WEBHOOK_SECRET=TOPSECRET-42\n"
        "OUTPOST_GITHUB_WEBHOOK_SECRET_FILE=/nonexistent\n");
    s.environment.insert(QStringLiteral("OUTPOST_DATABASE_URL"), QStringLiteral("TOPSECRET-42"));
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET"), secret);
    s.environment.insert(QStringLiteral("OUTPOST_JWT_SECRET_FILE"),
        writeFile(QStringLiteral("jwt"), "TOPSECRET-42"));
    s.commandLine.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:TOPSECRET-42"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().fields.size() >= 5, qPrintable(loaded.error().detail));
    QVERIFY2(!loaded.error().detail.contains(secret), qPrintable(loaded.error().detail));
    for (const FieldError &f : loaded.error().fields) {
        QVERIFY2(!f.message.contains(secret), qPrintable(f.message));
    }

    // And a dotenv syntax error never echoes the line.
    const auto parsed =
        DotEnvFile::parse("OUTPOST_JWT_SECRET='TOPSECRET-42\n", QStringLiteral(".env"));
    QVERIFY(!parsed);
    QVERIFY2(!parsed.error().detail.contains(secret), qPrintable(parsed.error().detail));
}

// --- .env ---------------------------------------------------------------------------------------

void TestConfig::dotEnvParsesCommentsQuotesAndExport_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    const auto row = [](const char *name, const char *line, const char *key, const char *value) {
        QTest::newRow(name) << QByteArray(line) << QString::fromLatin1(key)
                            << QString::fromUtf8(value);
    };
    row("plain", "KEY=value", "KEY", "value");
    row("spaces around", "  KEY = value  ", "KEY", "value");
    row("export prefix", "export KEY=value", "KEY", "value");
    row("export with tab", "export\tKEY=value", "KEY", "value");
    row("double quotes", "KEY=\"a b # c\"", "KEY", "a b # c");
    row("double quote escapes", R"(KEY="line1\nline2 \"q\" \\")", "KEY", "line1\nline2 \"q\" \\");
    row("single quotes literal", "KEY='a \\n $b # c'", "KEY", "a \\n $b # c");
    row("comment after quotes", "KEY='v' # note", "KEY", "v");
    row("inline comment", "KEY=value # note", "KEY", "value");
    row("hash without space kept", "KEY=a#b", "KEY", "a#b");
    row("equals in value", "KEY=a=b=c", "KEY", "a=b=c");
    row("empty value", "KEY=", "KEY", "");
    row("empty quotes", "KEY=\"\"", "KEY", "");
    row("crlf line ending", "KEY=value\r", "KEY", "value");
    row("utf-8", "KEY=caf\xc3\xa9", "KEY", "caf\xc3\xa9");
}

void TestConfig::dotEnvParsesCommentsQuotesAndExport()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, key);
    QFETCH(QString, value);
    const QByteArray text = "# a comment\n\n   # indented comment\n" + line + "\n";
    const auto parsed = DotEnvFile::parse(text, QStringLiteral(".env"));
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().detail));
    QCOMPARE(parsed->size(), 1);
    QCOMPARE(parsed->first().key, key);
    QCOMPARE(parsed->first().value, value);
    QCOMPARE(parsed->first().line, 4);
}

void TestConfig::dotEnvRejectsMalformedLinesWithoutEchoingThem_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("no equals") << QByteArray("LEAKME") << QStringLiteral("expected KEY=VALUE");
    QTest::newRow("bad name") << QByteArray(
        "MY-KEY=LEAKME") << QStringLiteral("the name before '=' must be letters, digits and _");
    QTest::newRow("unterminated double")
        << QByteArray("KEY=\"LEAKME") << QStringLiteral("unterminated double quote");
    QTest::newRow("unterminated single")
        << QByteArray("KEY='LEAKME") << QStringLiteral("unterminated single quote");
    QTest::newRow("text after quote")
        << QByteArray("KEY='a'LEAKME") << QStringLiteral("unexpected text after the closing quote");
}

void TestConfig::dotEnvRejectsMalformedLinesWithoutEchoingThem()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, message);
    const auto parsed = DotEnvFile::parse("A=1\n" + line + "\n", QStringLiteral("app.env"));
    QVERIFY(!parsed);
    QVERIFY2(parsed.error().detail.startsWith(QStringLiteral("app.env line 2: ") + message),
        qPrintable(parsed.error().detail));
    QVERIFY(!parsed.error().detail.contains(QStringLiteral("LEAKME")));
}

void TestConfig::dotEnvFeedsOnlyOutpostVariables()
{
    ConfigSources s = sources();
    s.dotEnvFile = writeFile(QStringLiteral(".env"),
        "# settings for outpost\n"
        "export OUTPOST_LISTEN='[::1]:9100'\n"
        "OUTPOST_REGISTRATION=\"closed\" # for now\n"
        "OUTPOST_THREADS=2\n"
        "OUTPOST_THREADS=3\n"
        "PATH=/nowhere\n"
        "BCRYPT_COST=not-ours\n");
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->listenAddress, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(loaded->listenPort, quint16(9100));
    QCOMPARE(loaded->registrationOpen, false);
    QCOMPARE(loaded->threads, 3);
    QCOMPARE(loaded->bcryptCost, Config().bcryptCost);
}

void TestConfig::missingDotEnvFileIsFine()
{
    ConfigSources s = sources();
    s.dotEnvFile = m_dir->filePath(QStringLiteral(".env"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
}

// --- LISTEN -------------------------------------------------------------------------------------

void TestConfig::parseListenAcceptsEveryForm_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<int>("port");
    const QHostAddress v4(QHostAddress::LocalHost);
    QTest::newRow("port alone") << QStringLiteral("8080") << v4 << 8080;
    QTest::newRow(":port is loopback") << QStringLiteral(":9000") << v4 << 9000;
    QTest::newRow("ipv4") << QStringLiteral("192.168.1.10:80")
                          << QHostAddress(QStringLiteral("192.168.1.10")) << 80;
    QTest::newRow("all ipv4") << QStringLiteral("0.0.0.0:8080")
                              << QHostAddress(QHostAddress::AnyIPv4) << 8080;
    QTest::newRow("localhost") << QStringLiteral("localhost:1") << v4 << 1;
    QTest::newRow("port 0 picks one") << QStringLiteral("127.0.0.1:0") << v4 << 0;
    QTest::newRow("top port") << QStringLiteral("65535") << v4 << 65535;
    QTest::newRow("ipv6 loopback")
        << QStringLiteral("[::1]:8080") << QHostAddress(QHostAddress::LocalHostIPv6) << 8080;
    QTest::newRow("all ipv6") << QStringLiteral("[::]:443") << QHostAddress(QHostAddress::AnyIPv6)
                              << 443;
    QTest::newRow("ipv6 full") << QStringLiteral("[2001:db8::42]:8443")
                               << QHostAddress(QStringLiteral("2001:db8::42")) << 8443;
    QTest::newRow("spaces trimmed")
        << QStringLiteral(" [::1]:80 ") << QHostAddress(QHostAddress::LocalHostIPv6) << 80;
}

void TestConfig::parseListenAcceptsEveryForm()
{
    QFETCH(QString, value);
    QFETCH(QHostAddress, address);
    QFETCH(int, port);
    const auto parsed = ConfigLoader::parseListen(value);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().detail));
    QCOMPARE(parsed->first, address);
    QCOMPARE(int(parsed->second), port);
}

void TestConfig::parseListenRejectsBadForms_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("empty") << QString();
    QTest::newRow("word") << QStringLiteral("abc");
    QTest::newRow("hostname") << QStringLiteral("outpost.example:80");
    QTest::newRow("bare ipv6 with port") << QStringLiteral("::1:8080");
    QTest::newRow("ipv6 without port") << QStringLiteral("[::1]");
    QTest::newRow("ipv4 in brackets") << QStringLiteral("[127.0.0.1]:80");
    QTest::newRow("short ipv4") << QStringLiteral("127.1:80");
    QTest::newRow("bad ipv4") << QStringLiteral("300.0.0.1:80");
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:65536");
    QTest::newRow("negative port") << QStringLiteral("-1");
    QTest::newRow("no port") << QStringLiteral("127.0.0.1:");
    QTest::newRow("port with letters") << QStringLiteral(":80a");
}

void TestConfig::parseListenRejectsBadForms()
{
    QFETCH(QString, value);
    const auto parsed = ConfigLoader::parseListen(value);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, ErrorCode::Validation);
    QVERIFY2(parsed.error().detail.startsWith(QStringLiteral("LISTEN: must be HOST:PORT")),
        qPrintable(parsed.error().detail));
}

// --- Data directory and derived URLs ------------------------------------------------------------

void TestConfig::relativeDataDirIsMadeAbsolute()
{
    ConfigSources s;
    s.commandLine.insert(QStringLiteral("DATA_DIR"), QStringLiteral("var/../data"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->dataDir, QDir::current().absoluteFilePath(QStringLiteral("data")));
}

void TestConfig::emptyDataDirUsesTheAppDataLocation()
{
    QStandardPaths::setTestModeEnabled(true);
    const Result<Config> loaded = ConfigLoader::load(ConfigSources());
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QVERIFY(!QCoreApplication::applicationName().isEmpty());
    QCOMPARE(loaded->dataDir, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    QStandardPaths::setTestModeEnabled(false);
}

void TestConfig::effectiveUrlsDeriveFromDataDir()
{
    Config c;
    c.dataDir = QStringLiteral("/srv/outpost data");
    QCOMPARE(c.effectiveDatabaseUrl(), QStringLiteral("sqlite:///srv/outpost data/outpost.db"));
    QCOMPARE(c.effectiveFileStoreUrl(), QStringLiteral("file:///srv/outpost data/files"));
    QCOMPARE(
        QUrl(c.effectiveFileStoreUrl()).toLocalFile(), QStringLiteral("/srv/outpost data/files"));

    c.dataDir = QStringLiteral("/srv/odd#name%");
    QCOMPARE(QUrl(c.effectiveDatabaseUrl()).path(QUrl::FullyDecoded),
        QStringLiteral("/srv/odd#name%/outpost.db"));
    QCOMPARE(QUrl(c.effectiveFileStoreUrl()).toLocalFile(), QStringLiteral("/srv/odd#name%/files"));
}

void TestConfig::effectiveUrlsPreferExplicitSettings()
{
    ConfigSources s = sources();
    s.environment.insert(
        QStringLiteral("OUTPOST_DATABASE_URL"), QStringLiteral("postgresql://db/outpost"));
    s.environment.insert(
        QStringLiteral("OUTPOST_FILE_STORE_URL"), QStringLiteral("s3://bucket/files"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->effectiveDatabaseUrl(), QStringLiteral("postgresql://db/outpost"));
    QCOMPARE(loaded->effectiveFileStoreUrl(), QStringLiteral("s3://bucket/files"));

    const Result<Config> derived = ConfigLoader::load(sources());
    QVERIFY2(derived, qPrintable(detailOf(derived)));
    QCOMPARE(derived->effectiveDatabaseUrl(),
        QStringLiteral("sqlite://") + m_dir->path() + QStringLiteral("/outpost.db"));
}

// --- Single sign-on ------------------------------------------------------------------------------

namespace {

void insertAll(ConfigSources &s, const QList<QPair<QString, QString>> &variables)
{
    for (const auto &[name, value] : variables)
        s.environment.insert(name, value);
}

} // namespace

void TestConfig::oidcIsOffByDefault()
{
    const Result<Config> loaded = ConfigLoader::load(sources());
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QVERIFY(loaded->oidcProviders.isEmpty());
    QCOMPARE(loaded->passwordLogin, PasswordLogin::On);
}

void TestConfig::oidcDefaultProviderFromUnprefixedSettings()
{
    ConfigSources s = sources();
    const QString secretFile = writeFile(QStringLiteral("oidc.secret"), "s3cret\n");
    insertAll(s,
        {{QStringLiteral("OUTPOST_OIDC_ISSUER"), QStringLiteral("https://id.example.com/realms/x")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("outpost")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_SECRET_FILE"), secretFile},
            {QStringLiteral("OUTPOST_OIDC_SCOPES"), QStringLiteral("openid, email groups")},
            {QStringLiteral("OUTPOST_OIDC_ADMIN_GROUPS"), QStringLiteral("ops, admins ,")},
            {QStringLiteral("OUTPOST_OIDC_GROUPS_CLAIM"), QStringLiteral("roles")},
            {QStringLiteral("OUTPOST_OIDC_ALLOW_SIGNUP"), QStringLiteral("false")},
            {QStringLiteral("OUTPOST_OIDC_AUDIENCE"), QStringLiteral("outpost-api")},
            {QStringLiteral("OUTPOST_OIDC_DISPLAY_NAME"), QStringLiteral("Example SSO")},
            {QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("admins-only")}});
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->oidcProviders.size(), 1);
    const OidcProviderSettings &p = loaded->oidcProviders.first();
    QCOMPARE(p.name, QStringLiteral("default"));
    QCOMPARE(p.issuer, QStringLiteral("https://id.example.com/realms/x"));
    QCOMPARE(p.clientId, QStringLiteral("outpost"));
    QCOMPARE(p.clientSecret, QByteArray("s3cret"));
    QCOMPARE(p.scopes,
        (QStringList {
            QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("groups")}));
    QCOMPARE(p.adminGroups, (QStringList {QStringLiteral("ops"), QStringLiteral("admins")}));
    QCOMPARE(p.groupsClaim, QStringLiteral("roles"));
    QCOMPARE(p.allowSignup, false);
    QCOMPARE(p.audience, QStringLiteral("outpost-api"));
    QCOMPARE(p.displayName, QStringLiteral("Example SSO"));
    QCOMPARE(loaded->passwordLogin, PasswordLogin::AdminsOnly);
}

void TestConfig::oidcNamedProvidersComeAfterDefaultInListedOrder()
{
    ConfigSources s = sources();
    insertAll(s,
        {{QStringLiteral("OUTPOST_OIDC_PROVIDERS"), QStringLiteral("Corp, lab2")},
            {QStringLiteral("OUTPOST_OIDC_LAB2_ISSUER"), QStringLiteral("http://127.0.0.1:9000")},
            {QStringLiteral("OUTPOST_OIDC_LAB2_CLIENT_ID"), QStringLiteral("lab")},
            {QStringLiteral("OUTPOST_OIDC_CORP_ISSUER"), QStringLiteral("https://corp.example")},
            {QStringLiteral("OUTPOST_OIDC_CORP_CLIENT_ID"), QStringLiteral("corp-client")},
            {QStringLiteral("OUTPOST_OIDC_CORP_CLIENT_SECRET"), QStringLiteral("x")},
            {QStringLiteral("OUTPOST_OIDC_ISSUER"), QStringLiteral("https://default.example")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("d")}});
    // The command line may set a named provider's setting too.
    s.commandLine.insert(QStringLiteral("oidc-lab2-allow-signup"), QStringLiteral("off"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->oidcProviders.size(), 3);
    QCOMPARE(loaded->oidcProviders.at(0).name, QStringLiteral("default"));
    QCOMPARE(loaded->oidcProviders.at(1).name, QStringLiteral("corp"));
    QCOMPARE(loaded->oidcProviders.at(1).clientSecret, QByteArray("x"));
    QCOMPARE(loaded->oidcProviders.at(1).allowSignup, true);
    QCOMPARE(loaded->oidcProviders.at(2).name, QStringLiteral("lab2"));
    QCOMPARE(loaded->oidcProviders.at(2).issuer, QStringLiteral("http://127.0.0.1:9000"));
    QCOMPARE(loaded->oidcProviders.at(2).allowSignup, false);
    // Named providers keep the defaults of their own fields.
    QCOMPARE(loaded->oidcProviders.at(2).groupsClaim, QStringLiteral("groups"));
    QVERIFY(loaded->oidcProviders.at(2).clientSecret.isEmpty());
}

void TestConfig::oidcIssuerMustBeHttpsExceptOnLoopback_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("https") << QStringLiteral("https://login.example.com/tenant/v2.0") << true;
    QTest::newRow("https trailing slash") << QStringLiteral("https://accounts.example/") << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:4000") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:4000/x") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:8080/realms/a") << true;
    QTest::newRow("http elsewhere") << QStringLiteral("http://id.example.com") << false;
    QTest::newRow("http private address") << QStringLiteral("http://10.0.0.5") << false;
    QTest::newRow("other scheme") << QStringLiteral("ftp://id.example.com") << false;
    QTest::newRow("query") << QStringLiteral("https://id.example.com/?a=b") << false;
    QTest::newRow("fragment") << QStringLiteral("https://id.example.com/#x") << false;
    QTest::newRow("user info") << QStringLiteral("https://u:p@id.example.com") << false;
    QTest::newRow("no host") << QStringLiteral("https:///path") << false;
}

void TestConfig::oidcIssuerMustBeHttpsExceptOnLoopback()
{
    QFETCH(QString, issuer);
    QFETCH(bool, accepted);
    ConfigSources s = sources();
    insertAll(s,
        {{QStringLiteral("OUTPOST_OIDC_ISSUER"), issuer},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("c")}});
    const Result<Config> loaded = ConfigLoader::load(s);
    QCOMPARE(bool(loaded), accepted);
    if (accepted) {
        QCOMPARE(loaded->oidcProviders.first().issuer, issuer);
    } else {
        QVERIFY2(loaded.error().detail.startsWith(QStringLiteral("OUTPOST_OIDC_ISSUER: must be")),
            qPrintable(loaded.error().detail));
    }
}

void TestConfig::oidcProviderNeedsIssuerAndClientId()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_SCOPES"), QStringLiteral("openid"));
    Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_OIDC_ISSUER: is required for the OpenID provider default; "
                       "OUTPOST_OIDC_CLIENT_ID: is required for the OpenID provider default"));

    s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_PROVIDERS"), QStringLiteral("corp"));
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_CORP_ISSUER"), QStringLiteral("https://c"));
    loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_OIDC_CORP_CLIENT_ID: is required for the OpenID provider corp"));
}

void TestConfig::oidcSettingsOfAnUnlistedProviderAreAnError()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_CORP_ISSUER"), QStringLiteral("https://c"));
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_CORP_CLIENT_ID"), QStringLiteral("x"));
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral(
            "OUTPOST_OIDC_CORP_ISSUER: provider corp is not listed in OUTPOST_OIDC_PROVIDERS"));
}

void TestConfig::oidcProvidersListRejectsBadNames_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("allowed");
    QTest::newRow("underscore") << QStringLiteral("my_idp")
                                << QStringLiteral("must be comma-separated names");
    QTest::newRow("default") << QStringLiteral("a,default")
                             << QStringLiteral("must not list default");
    QTest::newRow("twice") << QStringLiteral("a, A") << QStringLiteral("names a twice");
}

void TestConfig::oidcProvidersListRejectsBadNames()
{
    QFETCH(QString, value);
    QFETCH(QString, allowed);
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_OIDC_PROVIDERS"), value);
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.startsWith(QStringLiteral("OUTPOST_OIDC_PROVIDERS: ") + allowed),
        qPrintable(loaded.error().detail));
}

void TestConfig::oidcScopesMustIncludeOpenid()
{
    ConfigSources s = sources();
    insertAll(s,
        {{QStringLiteral("OUTPOST_OIDC_ISSUER"), QStringLiteral("https://id.example")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("c")},
            {QStringLiteral("OUTPOST_OIDC_SCOPES"), QStringLiteral("email profile")}});
    const Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_OIDC_SCOPES: must include openid (got \"email profile\")"));
}

void TestConfig::passwordLoginTakesThreeWords()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("Admins-Only"));
    Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->passwordLogin, PasswordLogin::AdminsOnly);

    s.environment.insert(QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("sometimes"));
    loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().detail,
        QStringLiteral("OUTPOST_PASSWORD_LOGIN: must be on or off or admins-only (got "
                       "\"sometimes\")"));
}

void TestConfig::passwordLoginOffNeedsAProvider()
{
    ConfigSources s = sources();
    s.environment.insert(QStringLiteral("OUTPOST_PASSWORD_LOGIN"), QStringLiteral("off"));
    Result<Config> loaded = ConfigLoader::load(s);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().detail.startsWith(QStringLiteral("OUTPOST_PASSWORD_LOGIN: off needs")),
        qPrintable(loaded.error().detail));

    insertAll(s,
        {{QStringLiteral("OUTPOST_OIDC_ISSUER"), QStringLiteral("https://id.example")},
            {QStringLiteral("OUTPOST_OIDC_CLIENT_ID"), QStringLiteral("c")}});
    loaded = ConfigLoader::load(s);
    QVERIFY2(loaded, qPrintable(detailOf(loaded)));
    QCOMPARE(loaded->passwordLogin, PasswordLogin::Off);
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
