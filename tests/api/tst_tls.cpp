// TLS on the listener (server/http/tlscontext.cpp, GuardedSocket): protocol versions, cipher
// suites, ALPN, HSTS, plain HTTP on the TLS port, a stalled handshake, SIGHUP certificate
// reload and the certificate expiry metric. A real outpost-server, real sockets, certificates
// made by openssl at test time.
#include "testserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Outpost::Test;

namespace {

constexpr int kHeaderMs = 2000; // OUTPOST_HEADER_TIMEOUT=2

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

Run run(const QString &program, const QStringList &arguments, const QByteArray &input = {},
    int timeoutMs = 20'000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    Run result;
    if (!process.waitForStarted(timeoutMs))
        return result;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAll();
    return result;
}

// A self-signed certificate for localhost and 127.0.0.1 and its key, as PEM files.
bool makeCertificate(const QString &cert, const QString &key, const QString &name)
{
    const Run made = run(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"),
            QStringLiteral("/CN=") + name, QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"), QStringLiteral("-keyout"),
            key, QStringLiteral("-out"), cert});
    return made.exitCode == 0;
}

QByteArray fingerprint(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256).toHex();
}

// One TLS connection that stays open (keep-alive), for requests one at a time.
class TlsConnection
{
public:
    explicit TlsConnection(quint16 port)
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // self-signed
        configuration.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        m_socket.setSslConfiguration(configuration);
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        m_encrypted = m_socket.waitForEncrypted(5000);
    }

    bool isEncrypted() const { return m_encrypted; }
    QSslCertificate peerCertificate() const { return m_socket.peerCertificate(); }
    QByteArray alpn() const { return m_socket.sslConfiguration().nextNegotiatedProtocol(); }

    // Sends one request and waits for its complete response.
    RawResponse request(const QByteArray &bytes, int timeoutMs = 5000)
    {
        m_received.clear();
        m_socket.write(bytes);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            const QList<RawResponse> responses = parseResponses(m_received);
            if (!responses.isEmpty())
                return responses.constFirst();
            if (m_socket.state() != QAbstractSocket::ConnectedState
                && m_socket.bytesAvailable() == 0)
                break;
            if (m_socket.bytesAvailable() == 0)
                m_socket.waitForReadyRead(int(timeoutMs - clock.elapsed()));
            m_received.append(m_socket.readAll());
        }
        return {};
    }

private:
    QSslSocket m_socket;
    QByteArray m_received;
    bool m_encrypted = false;
};

QString describe(const QByteArray &raw)
{
    return raw.isEmpty() ? QStringLiteral("nothing came back")
                         : QString::fromLatin1(raw.left(1500));
}

} // namespace

class TestTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void refusesTls11();
    void acceptsTls12And13WithAlpn_data();
    void acceptsTls12And13WithAlpn();
    void sslscanFindsNoOldProtocolsOrWeakCiphers();
    void servesRequestsWithHsts();
    void healthcheckTrustsExactlyTheConfiguredCertificate();
    void plainHttpOnTheTlsPortIsClosedNotHung();
    void stalledHandshakeIsClosedByHeaderTimeoutWhileOthersAreServed();
    void exposesCertificateExpiry();
    void sighupSwapsCertificateForNewConnectionsOnly();
    void sighupWithBrokenFilesKeepsTheCurrentCertificate();
    void refusesToStartWithAKeyThatDoesNotMatch();
    void plainListenerSendsNoHsts();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool replaceFile(const QString &from, const QString &to);

    QTemporaryDir m_dir;
    TestServer m_server;
    QByteArray m_fingerprintA;
    QByteArray m_fingerprintB;
};

bool TestTls::replaceFile(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

void TestTls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QFAIL("openssl is missing (Makefile APT_PACKAGES installs it)");
    QVERIFY(QSslSocket::supportsSsl());
    QVERIFY(m_dir.isValid());
    QVERIFY(makeCertificate(
        path(QStringLiteral("a.crt")), path(QStringLiteral("a.key")), QStringLiteral("outpost-a")));
    QVERIFY(makeCertificate(
        path(QStringLiteral("b.crt")), path(QStringLiteral("b.key")), QStringLiteral("outpost-b")));
    m_fingerprintA = fingerprint(QSslCertificate::fromPath(path(QStringLiteral("a.crt"))).value(0));
    m_fingerprintB = fingerprint(QSslCertificate::fromPath(path(QStringLiteral("b.crt"))).value(0));
    QVERIFY(!m_fingerprintA.isEmpty() && m_fingerprintA != m_fingerprintB);
    QVERIFY(replaceFile(path(QStringLiteral("a.crt")), path(QStringLiteral("server.crt"))));
    QVERIFY(replaceFile(path(QStringLiteral("a.key")), path(QStringLiteral("server.key"))));

    m_server.setEnv(QStringLiteral("OUTPOST_HEADER_TIMEOUT"), QString::number(kHeaderMs / 1000));
    m_server.setArguments({QStringLiteral("--tls-cert"), path(QStringLiteral("server.crt")),
        QStringLiteral("--tls-key"), path(QStringLiteral("server.key"))});
    QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
    QVERIFY(m_server.output().contains("listening on https://"));
}

void TestTls::refusesTls11()
{
    // SECLEVEL=0 lets this client offer TLS 1.1 at all (OpenSSL 3 refuses to by default), so
    // the refusal is the server's.
    const Run client = run(QStringLiteral("openssl"),
        {QStringLiteral("s_client"), QStringLiteral("-connect"),
            QStringLiteral("127.0.0.1:%1").arg(m_server.port()), QStringLiteral("-tls1_1"),
            QStringLiteral("-cipher"), QStringLiteral("DEFAULT@SECLEVEL=0")});
    QVERIFY2(client.exitCode != 0, qPrintable(describe(client.out)));
    QVERIFY2(client.out.contains("alert protocol version")
            || client.out.contains("unsupported protocol")
            || client.out.contains("wrong version number"),
        qPrintable(describe(client.out)));
    QVERIFY2(!client.out.contains("BEGIN CERTIFICATE"), qPrintable(describe(client.out)));
}

void TestTls::acceptsTls12And13WithAlpn_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QByteArray>("protocol");
    QTest::newRow("TLS 1.2") << QStringLiteral("-tls1_2") << QByteArray("TLSv1.2");
    QTest::newRow("TLS 1.3") << QStringLiteral("-tls1_3") << QByteArray("TLSv1.3");
}

void TestTls::acceptsTls12And13WithAlpn()
{
    QFETCH(QString, flag);
    QFETCH(QByteArray, protocol);
    const Run client = run(QStringLiteral("openssl"),
        {QStringLiteral("s_client"), QStringLiteral("-connect"),
            QStringLiteral("127.0.0.1:%1").arg(m_server.port()), flag, QStringLiteral("-alpn"),
            QStringLiteral("http/1.1"), QStringLiteral("-ign_eof")},
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QVERIFY2(client.exitCode == 0, qPrintable(describe(client.out)));
    QVERIFY2(client.out.contains(QByteArray("Protocol  : " + protocol))
            || client.out.contains(QByteArray("New, " + protocol)),
        qPrintable(describe(client.out)));
    QVERIFY2(client.out.contains("ALPN protocol: http/1.1"), qPrintable(describe(client.out)));
    QVERIFY2(client.out.contains("HTTP/1.1 200 OK"), qPrintable(describe(client.out)));
}

void TestTls::sslscanFindsNoOldProtocolsOrWeakCiphers()
{
    const QString sslscan = QStandardPaths::findExecutable(QStringLiteral("sslscan"));
    if (sslscan.isEmpty())
        QFAIL("sslscan is missing (Makefile APT_PACKAGES installs it)");
    const Run scan = run(sslscan,
        {QStringLiteral("--no-colour"), QStringLiteral("--no-fallback"),
            QStringLiteral("--no-renegotiation"), QStringLiteral("--no-compression"),
            QStringLiteral("--no-heartbleed"), QStringLiteral("--no-groups"),
            QStringLiteral("--no-check-certificate"),
            QStringLiteral("127.0.0.1:%1").arg(m_server.port())},
        {}, 120'000);
    QVERIFY2(scan.exitCode == 0, qPrintable(describe(scan.out)));
    const QString out = QString::fromUtf8(scan.out);
    for (const char *disabled : {"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"}) {
        const QRegularExpression enabled(
            QStringLiteral("^%1\\s+enabled")
                .arg(QRegularExpression::escape(QLatin1String(disabled))),
            QRegularExpression::MultilineOption);
        QVERIFY2(!out.contains(enabled), qPrintable(QLatin1String(disabled) + u'\n' + out));
    }
    QVERIFY2(out.contains(QRegularExpression(
                 QStringLiteral("^TLSv1.2\\s+enabled"), QRegularExpression::MultilineOption)),
        qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(
                 QStringLiteral("^TLSv1.3\\s+enabled"), QRegularExpression::MultilineOption)),
        qPrintable(out));
    // Every accepted suite: TLS 1.3's (all AEAD) or ECDHE with AES-GCM or ChaCha20-Poly1305.
    const QRegularExpression accepted(
        QStringLiteral("^(Preferred|Accepted)\\s+(\\S+)\\s+\\d+ bits\\s+(\\S+)"),
        QRegularExpression::MultilineOption);
    const QRegularExpression strong(
        QStringLiteral("^(TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)"
                       "|ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305))$"));
    int count = 0;
    for (auto it = accepted.globalMatch(out); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        ++count;
        QVERIFY2(
            m.captured(2) == QLatin1String("TLSv1.2") || m.captured(2) == QLatin1String("TLSv1.3"),
            qPrintable(m.captured(0)));
        QVERIFY2(strong.match(m.captured(3)).hasMatch(), qPrintable(m.captured(0)));
    }
    QVERIFY2(count >= 2, qPrintable(out));
}

void TestTls::servesRequestsWithHsts()
{
    TlsConnection connection(m_server.port());
    QVERIFY(connection.isEncrypted());
    QCOMPARE(connection.alpn(), QByteArray("http/1.1"));
    for (int i = 0; i < 2; ++i) { // keep-alive: the same connection twice
        const RawResponse response = connection.request(get("/healthz"));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("Strict-Transport-Security"), QByteArray("max-age=31536000"));
    }
    // The guard's own answers carry it too.
    const RawResponse rejected = connection.request("GET /healthz HTTP/1.1\r\n\r\n");
    QCOMPARE(rejected.status, 400);
    QCOMPARE(rejected.header("Strict-Transport-Security"), QByteArray("max-age=31536000"));
}

// `outpost-server healthcheck` with the server's settings speaks https to loopback and trusts
// the certificate the settings name (issued for another name, or self-signed), nothing else.
void TestTls::healthcheckTrustsExactlyTheConfiguredCertificate()
{
    const auto check = [this](const QString &cert, const QString &key) {
        QProcessEnvironment env = TestServer::cliEnvironment();
        env.insert(
            QStringLiteral("OUTPOST_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(m_server.port()));
        env.insert(QStringLiteral("OUTPOST_TLS_CERT_FILE"), path(cert));
        env.insert(QStringLiteral("OUTPOST_TLS_KEY_FILE"), path(key));
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(TestServer::binary(), {QStringLiteral("healthcheck")});
        if (!process.waitForFinished(30'000))
            return std::pair {-1, QByteArray("did not finish")};
        return std::pair {process.exitCode(), process.readAllStandardError()};
    };
    const auto served = check(QStringLiteral("server.crt"), QStringLiteral("server.key"));
    QVERIFY2(served.first == 0, served.second.constData());
    // Settings naming another certificate than the one served: refused, never ignored.
    const auto other = check(QStringLiteral("b.crt"), QStringLiteral("b.key"));
    QCOMPARE(other.first, 1);
    QVERIFY2(other.second.contains("https://127.0.0.1:"), other.second.constData());
}

void TestTls::plainHttpOnTheTlsPortIsClosedNotHung()
{
    RawConnection plain(m_server.port());
    QVERIFY(plain.send(get("/healthz")));
    // Closed well within the deadline (the header timeout would be a hang of 2 s).
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(plain.waitForClosed(kHeaderMs * 3), qPrintable(describe(plain.received())));
    QVERIFY2(clock.elapsed() < kHeaderMs, "closed by the timeout, not at once");
    const QByteArray &raw = plain.received();
    QVERIFY2(raw.isEmpty() || raw.startsWith("HTTP/1.1 400") || raw.at(0) == 0x15, // TLS alert
        qPrintable(describe(raw)));
}

void TestTls::stalledHandshakeIsClosedByHeaderTimeoutWhileOthersAreServed()
{
    // Connects and sends nothing: the handshake never starts on its side.
    RawConnection stalled(m_server.port());
    QVERIFY(stalled.isConnected());
    // A second client that sends half a ClientHello (a record header announcing more).
    RawConnection partial(m_server.port());
    QVERIFY(partial.send(QByteArray::fromHex("160301020001")));
    QElapsedTimer clock;
    clock.start();
    // Meanwhile others are served at once.
    TlsConnection other(m_server.port());
    QVERIFY(other.isEncrypted());
    QCOMPARE(other.request(get("/healthz")).status, 200);
    QVERIFY2(clock.elapsed() < kHeaderMs, "another client waited for the stalled ones");
    // Then the header timeout closes both stalled connections.
    QVERIFY2(stalled.waitForClosed(kHeaderMs * 4), "a stalled handshake was never closed");
    QVERIFY2(partial.waitForClosed(kHeaderMs * 4), "a half handshake was never closed");
    QVERIFY2(clock.elapsed() >= kHeaderMs - 200, "closed before the header timeout");
    QVERIFY(stalled.received().isEmpty());
    // The connection that was served stays open (keep-alive), past the header timeout.
    QCOMPARE(other.request(get("/healthz")).status, 200);
}

void TestTls::exposesCertificateExpiry()
{
    TlsConnection connection(m_server.port());
    QVERIFY(connection.isEncrypted());
    const RawResponse metrics = connection.request(get("/metrics"));
    QCOMPARE(metrics.status, 200); // loopback, so readable without a token under TLS
    const double expiry =
        metricValue(metrics.body, "outpost_tls_certificate_expiry_timestamp_seconds");
    QCOMPARE(qint64(expiry), connection.peerCertificate().expiryDate().toSecsSinceEpoch());
}

void TestTls::sighupSwapsCertificateForNewConnectionsOnly()
{
    TlsConnection before(m_server.port());
    QVERIFY(before.isEncrypted());
    QCOMPARE(fingerprint(before.peerCertificate()), m_fingerprintA);
    QCOMPARE(before.request(get("/healthz")).status, 200);

    QVERIFY(replaceFile(path(QStringLiteral("b.crt")), path(QStringLiteral("server.crt"))));
    QVERIFY(replaceFile(path(QStringLiteral("b.key")), path(QStringLiteral("server.key"))));
    QCOMPARE(::kill(pid_t(m_server.pid()), SIGHUP), 0);
    QVERIFY2(m_server.waitForOutput("TLS certificate reloaded"), m_server.output().constData());

    TlsConnection after(m_server.port());
    QVERIFY(after.isEncrypted());
    QCOMPARE(fingerprint(after.peerCertificate()), m_fingerprintB);
    QCOMPARE(after.request(get("/healthz")).status, 200);
    // The connection opened before the reload goes on, with the certificate it had.
    QCOMPARE(before.request(get("/healthz")).status, 200);
    QCOMPARE(fingerprint(before.peerCertificate()), m_fingerprintA);
    // And the metric follows the new certificate.
    const RawResponse metrics = after.request(get("/metrics"));
    QCOMPARE(qint64(metricValue(metrics.body, "outpost_tls_certificate_expiry_timestamp_seconds")),
        after.peerCertificate().expiryDate().toSecsSinceEpoch());
}

void TestTls::sighupWithBrokenFilesKeepsTheCurrentCertificate()
{
    TlsConnection current(m_server.port());
    QVERIFY(current.isEncrypted());
    const QByteArray served = fingerprint(current.peerCertificate());

    QFile broken(path(QStringLiteral("server.crt")));
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
    broken.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
    broken.close();
    QCOMPARE(::kill(pid_t(m_server.pid()), SIGHUP), 0);
    QVERIFY2(m_server.waitForOutput("TLS reload failed"), m_server.output().constData());
    QVERIFY(m_server.output().contains("holds no PEM certificate"));

    TlsConnection next(m_server.port());
    QVERIFY(next.isEncrypted());
    QCOMPARE(fingerprint(next.peerCertificate()), served);
    QCOMPARE(next.request(get("/healthz")).status, 200);
    QCOMPARE(current.request(get("/healthz")).status, 200);
    QVERIFY(m_server.isRunning());

    // A certificate with the other pair's key: refused as well.
    QVERIFY(replaceFile(path(QStringLiteral("a.crt")), path(QStringLiteral("server.crt"))));
    QVERIFY(replaceFile(path(QStringLiteral("b.key")), path(QStringLiteral("server.key"))));
    QCOMPARE(::kill(pid_t(m_server.pid()), SIGHUP), 0);
    QVERIFY2(
        m_server.waitForOutput("is not the key of the certificate"), m_server.output().constData());
    TlsConnection last(m_server.port());
    QVERIFY(last.isEncrypted());
    QCOMPARE(fingerprint(last.peerCertificate()), served);
}

void TestTls::refusesToStartWithAKeyThatDoesNotMatch()
{
    TestServer server;
    server.setArguments({QStringLiteral("--tls-cert"), path(QStringLiteral("a.crt")),
        QStringLiteral("--tls-key"), path(QStringLiteral("b.key"))});
    QVERIFY(!server.start(10'000));
    QVERIFY2(
        server.output().contains("is not the key of the certificate"), server.output().constData());
}

void TestTls::plainListenerSendsNoHsts()
{
    TestServer plain;
    QVERIFY2(plain.start(), qPrintable(plain.lastError()));
    const HttpResult response = httpRequest("GET", plain.url(QStringLiteral("/healthz")));
    QCOMPARE(response.status, 200);
    QVERIFY(!response.headers.contains("strict-transport-security"));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
