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

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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

// A TLS client over a raw socket (OpenSSL itself, no Qt): sends `bytes`, then, with
// `closeNotify`, its close_notify alert, and then half-closes the TCP connection
// (shutdown(SHUT_WR)), as `nc -N` or a health check over TLS does. Reads until the server
// closes (its close_notify or the end of the TCP stream) or `timeoutMs` passes; `closed` says
// whether the server closed. Returns the decrypted bytes, empty if the handshake failed.
QByteArray tlsHalfClosedExchange(quint16 port, const QByteArray &bytes, bool closeNotify,
    bool *closed, int timeoutMs = 5000, QByteArray *end = nullptr)
{
    *closed = false;
    QByteArray ending = "the handshake or the request failed";
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(
        SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!context || fd < 0)
        return {};
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr); // self-signed
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), &SSL_free);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray received;
    // Blocking until the half-close, then poll() bounds every read by the deadline.
    if (ssl && ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && SSL_set_fd(ssl.get(), fd) == 1 && SSL_connect(ssl.get()) == 1
        && SSL_write(ssl.get(), bytes.constData(), int(bytes.size())) == bytes.size()
        && (!closeNotify || SSL_shutdown(ssl.get()) >= 0) && ::shutdown(fd, SHUT_WR) == 0) {
        QElapsedTimer clock;
        clock.start();
        char buffer[16384];
        while (clock.elapsed() < timeoutMs) {
            if (SSL_pending(ssl.get()) == 0) {
                pollfd p {fd, POLLIN, 0};
                if (::poll(&p, 1, int(timeoutMs - clock.elapsed())) <= 0)
                    break;
            }
            const int n = SSL_read(ssl.get(), buffer, int(sizeof buffer));
            if (n > 0) {
                received.append(buffer, n);
                continue;
            }
            const int error = SSL_get_error(ssl.get(), n);
            if (error == SSL_ERROR_WANT_READ)
                continue;
            ending = "SSL_get_error " + QByteArray::number(error) + ", errno "
                + QByteArray::number(errno) + ": "
                + ERR_error_string(ERR_peek_last_error(), nullptr);
            // The server's close_notify, or the end of the stream without one: closed either way.
            *closed = error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL
                || error == SSL_ERROR_SSL;
            break;
        }
    }
    ERR_clear_error();
    ::close(fd);
    if (end)
        *end = ending;
    return received;
}

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
    void halfClosedClientGetsEveryReply_data();
    void halfClosedClientGetsEveryReply();
    void halfCloseWithAnIncompleteRequestCloses_data();
    void halfCloseWithAnIncompleteRequestCloses();

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
    // The half-closed clients' OpenSSL may answer an alert on a socket it can no longer write.
    ::signal(SIGPIPE, SIG_IGN);
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

void TestTls::halfClosedClientGetsEveryReply_data()
{
    QTest::addColumn<bool>("closeNotify");
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("responses");
    const QByteArray login =
        QByteArrayLiteral("{\"email\":\"nobody@example.com\",\"password\":\"Not-the-password-1\"}");
    const QByteArray slow =
        "POST /v1/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Content-Length: "
        + QByteArray::number(login.size()) + "\r\n\r\n" + login;
    for (const bool closeNotify : {false, true}) {
        const char *how = closeNotify ? "close_notify, then FIN" : "FIN only";
        QTest::addRow("%s: one request", how) << closeNotify << get("/healthz") << 1;
        QTest::addRow("%s: two pipelined", how)
            << closeNotify << get("/healthz") + get("/readyz") << 2;
        QTest::addRow("%s: Connection: close", how)
            << closeNotify << get("/healthz", "Connection: close\r\n") << 1;
        // bcrypt runs off the event loop: the reply comes after the end of the stream was read.
        QTest::addRow("%s: a handler that answers later", how) << closeNotify << slow << 1;
        QTest::addRow("%s: pipelined, the first answers later", how)
            << closeNotify << slow + get("/healthz") << 2;
    }
}

// A complete request followed by the client's half-close (with or without its close_notify
// first) gets every reply, then the server closes.
void TestTls::halfClosedClientGetsEveryReply()
{
    QFETCH(bool, closeNotify);
    QFETCH(QByteArray, request);
    QFETCH(int, responses);
    bool closed = false;
    QByteArray end;
    const QByteArray raw =
        tlsHalfClosedExchange(m_server.port(), request, closeNotify, &closed, 5000, &end);
    const QList<RawResponse> answers = parseResponses(raw);
    QVERIFY2(answers.size() == responses,
        qPrintable(describe(raw) + QLatin1Char(0x0a) + QString::fromLatin1(end)));
    for (const RawResponse &answer : answers) {
        QVERIFY2(answer.status == 200 || answer.status == 401, qPrintable(describe(raw)));
        QCOMPARE(answer.header("Strict-Transport-Security"), QByteArray("max-age=31536000"));
    }
    QVERIFY2(closed, "the server did not close after answering a half-closed client");
}

void TestTls::halfCloseWithAnIncompleteRequestCloses_data()
{
    QTest::addColumn<bool>("closeNotify");
    QTest::newRow("FIN only") << false;
    QTest::newRow("close_notify, then FIN") << true;
}

// Half a request and then the half-close: it can never complete, so the connection closes at
// once (not by the header timeout) and nothing is answered.
void TestTls::halfCloseWithAnIncompleteRequestCloses()
{
    QFETCH(bool, closeNotify);
    bool closed = false;
    QElapsedTimer clock;
    clock.start();
    const QByteArray raw = tlsHalfClosedExchange(m_server.port(),
        QByteArrayLiteral("GET /healthz HTTP/1.1\r\nHo"), closeNotify, &closed, kHeaderMs * 4);
    QVERIFY2(closed, "the server did not close");
    QVERIFY2(clock.elapsed() < kHeaderMs, "closed by the header timeout, not the half-close");
    QVERIFY2(raw.isEmpty(), qPrintable(describe(raw)));
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
