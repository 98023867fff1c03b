// outpostctl's commands over the API's resources (files: filecommands.cpp).
#include "ctl.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>

namespace Outpost::Ctl {

QUrlQuery Ctl::pageQuery() const
{
    QUrlQuery query;
    for (const QString &name : {QStringLiteral("limit"), QStringLiteral("skip")}) {
        if (isSet(name))
            query.addQueryItem(name, value(name));
    }
    return query;
}

namespace {

const View kPostView {
    {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("owner.username"),
        QStringLiteral("votes"), QStringLiteral("published"), QStringLiteral("created_at")}};

} // namespace

int Ctl::postsList()
{
    QUrlQuery query = pageQuery();
    if (isSet(QStringLiteral("search")))
        query.addQueryItem(QStringLiteral("search"), value(QStringLiteral("search")));
    if (isSet(QStringLiteral("owner")))
        query.addQueryItem(QStringLiteral("owner_id"), value(QStringLiteral("owner")));
    if (isSet(QStringLiteral("sort")))
        query.addQueryItem(QStringLiteral("sort"), value(QStringLiteral("sort")));
    return finish(wait(m_client.get(QStringLiteral("/v1/posts"), query)), kPostView);
}

int Ctl::postsGet()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts get needs a post's ID"));
    return finish(wait(m_client.get(QStringLiteral("/v1/posts/") + encoded(positional(0)))));
}

int Ctl::postsCreate()
{
    if (!isSet(QStringLiteral("title")) || !isSet(QStringLiteral("content")))
        return usage(QStringLiteral("posts create needs --title and --content"));
    return finish(wait(m_client.post(QStringLiteral("/v1/posts"),
        {{QStringLiteral("title"), value(QStringLiteral("title"))},
            {QStringLiteral("content"), value(QStringLiteral("content"))},
            {QStringLiteral("published"), !isSet(QStringLiteral("draft"))}})));
}

int Ctl::postsEdit()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts edit needs a post's ID"));
    const QString published = value(QStringLiteral("published"));
    if (isSet(QStringLiteral("published")) && published != QLatin1String("true")
        && published != QLatin1String("false"))
        return usage(QStringLiteral("--published takes true or false"));
    const QString path = QStringLiteral("/v1/posts/") + encoded(positional(0));
    // The current post and its version: the change applies only to that version (If-Match).
    const Client::ApiResponse current = wait(m_client.get(path));
    if (!current.ok())
        return fail(current);
    const QJsonObject post = current.object();
    QJsonObject body {{QStringLiteral("title"), post.value(QStringLiteral("title"))},
        {QStringLiteral("content"), post.value(QStringLiteral("content"))},
        {QStringLiteral("published"), post.value(QStringLiteral("published"))}};
    if (isSet(QStringLiteral("title")))
        body.insert(QStringLiteral("title"), value(QStringLiteral("title")));
    if (isSet(QStringLiteral("content")))
        body.insert(QStringLiteral("content"), value(QStringLiteral("content")));
    if (isSet(QStringLiteral("published")))
        body.insert(QStringLiteral("published"), published == QLatin1String("true"));
    return finish(wait(m_client.put(path, body, current.etag)));
}

int Ctl::postsDelete()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts delete needs a post's ID"));
    const int code =
        finish(wait(m_client.del(QStringLiteral("/v1/posts/") + encoded(positional(0)))));
    if (code == Ok && m_format == Format::Table)
        err(QStringLiteral("Deleted post %1.").arg(positional(0)));
    return code;
}

int Ctl::postsVote()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("posts vote needs a post's ID"));
    bool number = false;
    const qint64 id = positional(0).toLongLong(&number);
    if (!number)
        return usage(QStringLiteral("'%1' is not a post ID").arg(positional(0)));
    return finish(wait(m_client.post(QStringLiteral("/v1/vote"),
        {{QStringLiteral("post_id"), id},
            {QStringLiteral("dir"), isSet(QStringLiteral("undo")) ? 0 : 1}})));
}

int Ctl::search()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("search needs a query"));
    QUrlQuery query = pageQuery();
    query.addQueryItem(QStringLiteral("q"), m_parser.positionalArguments().join(QLatin1Char(' ')));
    return finish(wait(m_client.get(QStringLiteral("/v1/search"), query)),
        {{QStringLiteral("kind"), QStringLiteral("id"), QStringLiteral("title"),
            QStringLiteral("score")}});
}

int Ctl::phrases()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("phrases needs a post's ID"));
    const Client::ApiResponse response =
        wait(m_client.get(QStringLiteral("/v1/posts/%1/phrases").arg(encoded(positional(0)))));
    if (!response.ok() || m_format == Format::Json || m_format == Format::Yaml)
        return finish(response, {{QStringLiteral("phrases")}});
    // One phrase a line, for people and scripts alike.
    for (const auto &phrase : response.object().value(QStringLiteral("phrases")).toArray())
        out(phrase.toString().toUtf8() + '\n');
    return Ok;
}

int Ctl::usersList()
{
    QUrlQuery query = pageQuery();
    if (isSet(QStringLiteral("search")))
        query.addQueryItem(QStringLiteral("search"), value(QStringLiteral("search")));
    return finish(wait(m_client.get(QStringLiteral("/v1/users"), query)),
        {{QStringLiteral("id"), QStringLiteral("username"), QStringLiteral("email"),
            QStringLiteral("role"), QStringLiteral("disabled"), QStringLiteral("created_at")}});
}

int Ctl::usersGet()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("users get needs a user's ID or 'me'"));
    return finish(wait(m_client.get(QStringLiteral("/v1/users/") + encoded(positional(0)))));
}

int Ctl::apiKeysList()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/api-keys"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("scopes"),
            QStringLiteral("created_at"), QStringLiteral("last_used_at")}});
}

int Ctl::apiKeysCreate()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("api-keys create needs a name"));
    QStringList scopes = m_parser.values(QStringLiteral("scope"));
    if (scopes.isEmpty())
        scopes.append(QStringLiteral("read"));
    return finish(wait(m_client.post(QStringLiteral("/v1/api-keys"),
        {{QStringLiteral("name"), positional(0)},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}})));
}

int Ctl::apiKeysRevoke()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("api-keys revoke needs a key's ID"));
    return finish(wait(m_client.del(QStringLiteral("/v1/api-keys/") + encoded(positional(0)))));
}

int Ctl::pipelinesList()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/pipelines"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("source"),
            QStringLiteral("repository"), QStringLiteral("last_run.status"),
            QStringLiteral("last_run.conclusion")}});
}

int Ctl::pipelinesRuns()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines runs needs a pipeline's ID"));
    return finish(
        wait(m_client.get(
            QStringLiteral("/v1/pipelines/%1/runs").arg(encoded(positional(0))), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("run_number"), QStringLiteral("status"),
            QStringLiteral("conclusion"), QStringLiteral("started_at"),
            QStringLiteral("finished_at")}});
}

int Ctl::pipelinesTrigger()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines trigger needs a pipeline's ID"));
    return finish(wait(
        m_client.post(QStringLiteral("/v1/pipelines/%1/trigger").arg(encoded(positional(0))), {})));
}

int Ctl::pipelinesCancel()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines cancel needs a run's ID"));
    return finish(
        wait(m_client.post(QStringLiteral("/v1/runs/%1/cancel").arg(encoded(positional(0))), {})));
}

int Ctl::pipelinesLogs()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("pipelines logs needs a run's ID"));
    const QString run = QStringLiteral("/v1/runs/") + encoded(positional(0));
    qsizetype printed = 0;
    for (;;) {
        // The run's state before its log: a log read after the run completed is complete.
        bool completed = true;
        if (isSet(QStringLiteral("follow"))) {
            const Client::ApiResponse state = wait(m_client.get(run));
            if (!state.ok())
                return fail(state);
            completed = state.object().value(QStringLiteral("status")).toString()
                == QLatin1String("completed");
        }
        const Client::ApiResponse log = wait(m_client.get(run + QStringLiteral("/log")));
        if (log.status == 404 && !completed) {
            // No log yet.
        } else if (!log.ok()) {
            return fail(log);
        } else if (log.body.size() > printed) {
            out(log.body.mid(printed));
            printed = log.body.size();
        }
        if (completed)
            return Ok;
        QEventLoop pause;
        QTimer::singleShot(1'000, &pause, &QEventLoop::quit);
        pause.exec();
    }
}

int Ctl::eventsTail()
{
    const QStringList types = m_parser.values(QStringLiteral("type"));
    bool counted = false;
    const int count = value(QStringLiteral("count")).toInt(&counted);
    if (isSet(QStringLiteral("count")) && (!counted || count < 1))
        return usage(QStringLiteral("--count takes a number of 1 or more"));
    QUrl url = m_client.url(QStringLiteral("/v1/events"));
    url.setScheme(
        url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    QWebSocket socket;
    QEventLoop loop;
    int seen = 0;
    int code = Ok;
    connect(&socket, &QWebSocket::connected, &loop,
        [&] { socket.sendTextMessage(m_client.accessToken()); });
    connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString &message) {
        const QJsonObject event = QJsonDocument::fromJson(message.toUtf8()).object();
        const QString type = event.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("subscribed")) {
            err(QStringLiteral("Watching events on %1.").arg(m_client.baseUrl().toString()));
            return;
        }
        if (!types.isEmpty() && !types.contains(type))
            return;
        if (m_format == Format::Json) {
            out(message.toUtf8() + '\n');
        } else if (m_format == Format::Yaml) {
            out("---\n" + Output::toYaml(event));
        } else {
            out(QStringLiteral("%1  %2  %3\n")
                    .arg(event.value(QStringLiteral("at")).toString(), type,
                        QString::number(event.value(QStringLiteral("id")).toInteger()))
                    .toUtf8());
        }
        if (counted && ++seen >= count)
            loop.quit();
    });
    connect(&socket, &QWebSocket::disconnected, &loop, [&] {
        err(QStringLiteral("outpostctl: the event stream ended: %1")
                .arg(socket.closeReason().isEmpty() ? socket.errorString() : socket.closeReason()));
        code = socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated ? Auth : Failure;
        loop.quit();
    });
    socket.open(url);
    loop.exec();
    return code;
}

int Ctl::adminInfo()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/admin/info"))));
}

int Ctl::adminAudit()
{
    return finish(wait(m_client.get(QStringLiteral("/v1/admin/audit"), pageQuery())),
        {{QStringLiteral("id"), QStringLiteral("at"), QStringLiteral("actor"),
            QStringLiteral("action"), QStringLiteral("target_type"), QStringLiteral("target_id")}});
}

int Ctl::wiki()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("wiki needs a page title"));
    return finish(wait(m_client.get(QStringLiteral("/v1/wiki/")
        + encoded(m_parser.positionalArguments().join(QLatin1Char(' '))))));
}

} // namespace Outpost::Ctl
