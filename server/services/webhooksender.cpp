#include "webhooksender.h"

#include "addresspolicy.h"

#include <QHostAddress>

#include <curl/curl.h>
#include <sys/socket.h>

#include <mutex>

namespace Outpost::Server {

namespace {

constexpr qsizetype kBodyKeep = 1024;

struct Transfer
{
    bool allowPrivate = false;
    const std::atomic<bool> *cancel = nullptr;
    QByteArray body;
    QString refused;
};

curl_socket_t openSocket(void *data, curlsocktype /*purpose*/, curl_sockaddr *address)
{
    auto *transfer = static_cast<Transfer *>(data);
    if (!transfer->allowPrivate) {
        const QHostAddress peer(&address->addr);
        const QString why = AddressPolicy::refusal(peer);
        if (!why.isEmpty()) {
            transfer->refused = QStringLiteral("refused: %1 is not a public address (%2)")
                                    .arg(peer.toString(), why);
            return CURL_SOCKET_BAD; // curl tries the next address, if any
        }
    }
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

size_t keepBody(char *data, size_t size, size_t count, void *user)
{
    auto *transfer = static_cast<Transfer *>(user);
    const size_t bytes = size * count;
    const qsizetype room = kBodyKeep - transfer->body.size();
    if (room > 0)
        transfer->body.append(data, qMin<qsizetype>(room, qsizetype(bytes)));
    return bytes;
}

int progress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *transfer = static_cast<Transfer *>(user);
    return transfer->cancel && transfer->cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

} // namespace

WebhookSender::WebhookSender(Settings settings)
    : m_settings(std::move(settings))
{
    static std::once_flag initialised;
    std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_curl = curl_easy_init();
}

WebhookSender::~WebhookSender()
{
    if (m_curl)
        curl_easy_cleanup(static_cast<CURL *>(m_curl));
}

WebhookResponse WebhookSender::post(const QUrl &url,
    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
    const std::atomic<bool> *cancel)
{
    WebhookResponse response;
    auto *curl = static_cast<CURL *>(m_curl);
    if (!curl) {
        response.error = QStringLiteral("could not start an HTTP client");
        return response;
    }
    curl_easy_reset(curl);
    Transfer transfer;
    transfer.allowPrivate = m_settings.allowPrivate;
    transfer.cancel = cancel;

    curl_slist *list = nullptr;
    for (const auto &[name, value] : headers)
        list = curl_slist_append(list, QByteArray(name + ": " + value).constData());
    list = curl_slist_append(list, "Expect:"); // no 100-continue round trip
    const QByteArray target = url.toEncoded();

    curl_easy_setopt(curl, CURLOPT_URL, target.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, m_settings.allowPrivate ? "http,https" : "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, ""); // never a proxy from the environment
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(m_settings.timeoutMs));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(m_settings.timeoutMs));
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.constData());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, m_settings.userAgent.constData());
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, openSocket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keepBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);

    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(list);
    curl_off_t micros = 0;
    if (curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros) == CURLE_OK)
        response.latencyMs = qint64(micros / 1000);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        response.status = int(status);
        response.body = transfer.body;
        return response;
    }
    response.latencyMs = -1;
    if (!transfer.refused.isEmpty()) {
        response.refused = true;
        response.error = transfer.refused;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        response.error = QStringLiteral("timed out after %1 ms").arg(m_settings.timeoutMs);
    } else if (code == CURLE_UNSUPPORTED_PROTOCOL) {
        response.error = QStringLiteral("only https URLs are allowed");
        response.refused = true;
    } else {
        response.error = QString::fromLatin1(curl_easy_strerror(code));
    }
    return response;
}

} // namespace Outpost::Server
