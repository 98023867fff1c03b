#include "router.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <unordered_map>

namespace Outpost::Server {

struct Router::Node
{
    std::unordered_map<QString, std::unique_ptr<Node>> literals;
    std::unique_ptr<Node> param; // {name}
    QString paramName;
    std::unique_ptr<Node> tail; // {name...}: the rest of the path, at least one segment
    QString tailName;
    QHash<QByteArray, qsizetype> methods; // method -> index into m_routes
};

Router::Router()
    : m_root(std::make_unique<Node>())
{ }

Router::~Router() = default;

namespace {

bool isParam(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(QLatin1Char('{'))
        && segment.endsWith(QLatin1Char('}'));
}

QList<QByteArray> rawSegments(const QByteArray &path)
{
    QList<QByteArray> segments = path.split('/');
    if (!segments.isEmpty() && segments.first().isEmpty())
        segments.removeFirst();
    return segments;
}

} // namespace

void Router::add(Route route)
{
    if (!route.path.startsWith(QLatin1Char('/')) || route.method.isEmpty() || !route.handler) {
        qFatal("route %s %s: needs a method, a handler and a path starting with /",
            route.method.constData(), qPrintable(route.path));
    }
    if (route.spoolBody && !m_spoolMethods.contains(route.method))
        m_spoolMethods.append(route.method);
    if (route.openapi) {
        QJsonParseError error {};
        QJsonDocument::fromJson(QByteArray(route.openapi), &error);
        if (error.error != QJsonParseError::NoError) {
            qFatal("route %s %s: OpenAPI JSON is invalid: %s", route.method.constData(),
                qPrintable(route.path), qPrintable(error.errorString()));
        }
    }
    Node *node = m_root.get();
    const QStringList segments = route.path.mid(1).split(QLatin1Char('/'));
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &segment = segments.at(i);
        if (isParam(segment) && segment.endsWith(QLatin1String("...}"))) {
            if (i != segments.size() - 1)
                qFatal("route %s: a {name...} segment must be the last", qPrintable(route.path));
            if (!node->tail)
                node->tail = std::make_unique<Node>();
            node->tailName = segment.mid(1, segment.size() - 5);
            node = node->tail.get();
        } else if (isParam(segment)) {
            const QString name = segment.mid(1, segment.size() - 2);
            if (!node->param) {
                node->param = std::make_unique<Node>();
                node->paramName = name;
            } else if (node->paramName != name) {
                qFatal("route %s: parameter {%s} clashes with {%s} at the same place",
                    qPrintable(route.path), qPrintable(name), qPrintable(node->paramName));
            }
            node = node->param.get();
        } else {
            auto &child = node->literals[segment];
            if (!child)
                child = std::make_unique<Node>();
            node = child.get();
        }
    }
    if (node->methods.contains(route.method))
        qFatal("route %s %s is declared twice", route.method.constData(), qPrintable(route.path));
    node->methods.insert(route.method, m_routes.size());
    m_routes.append(std::move(route));
}

void Router::addSchema(const QString &name, const char *json)
{
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qFatal("schema %s: invalid JSON: %s", qPrintable(name),
            qPrintable(error.error != QJsonParseError::NoError ? error.errorString()
                                                               : QStringLiteral("not an object")));
    }
    addSchema(name, document.object());
}

void Router::addSchema(const QString &name, QJsonObject schema)
{
    m_schemas.append({name, std::move(schema)});
}

void Router::addTag(const QString &name, const QString &description)
{
    if (m_tagDescriptions.contains(name))
        qFatal("tag %s is described twice", qPrintable(name));
    m_tagDescriptions.insert(name, description);
}

namespace {

struct Walker
{
    const QList<QByteArray> &raw;
    QStringList decoded;

    const QString &segment(qsizetype i)
    {
        while (decoded.size() <= i) {
            decoded.append(
                QString::fromUtf8(QByteArray::fromPercentEncoding(raw.at(decoded.size()))));
        }
        return decoded.at(i);
    }
};

} // namespace

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    const QList<QByteArray> raw = rawSegments(path.toUtf8());
    Walker walker {raw, {}};
    QHash<QString, QString> params;
    const QByteArray effective = method == "HEAD" ? QByteArrayLiteral("GET") : method;
    const auto serves = [&](const Node *node) {
        return node->methods.contains(method) || node->methods.contains(effective);
    };

    // Depth-first: a literal beats a parameter, which beats a tail; backtrack on a dead end.
    // With `wanted`, a node counts only if it has a route for the method, so that
    // "POST /v1/files/generated" does not hide "GET /v1/files/{path...}".
    std::function<const Node *(const Node *, qsizetype, bool)> walk =
        [&](const Node *node, qsizetype i, bool wanted) -> const Node * {
        if (i == raw.size()) {
            if (node->methods.isEmpty() || (wanted && !serves(node)))
                return nullptr;
            return node;
        }
        // A copy (shared, not allocated): the walks below decode further segments, and the
        // list that holds them may reallocate under a reference.
        const QString segment = walker.segment(i);
        if (auto it = node->literals.find(segment); it != node->literals.end()) {
            if (const Node *found = walk(it->second.get(), i + 1, wanted))
                return found;
        }
        if (node->param && !segment.isEmpty()) {
            if (const Node *found = walk(node->param.get(), i + 1, wanted)) {
                params.insert(node->paramName, segment);
                return found;
            }
        }
        if (node->tail && !node->tail->methods.isEmpty() && (!wanted || serves(node->tail.get()))) {
            QStringList rest;
            for (qsizetype j = i; j < raw.size(); ++j)
                rest.append(walker.segment(j));
            params.insert(node->tailName, rest.join(QLatin1Char('/')));
            return node->tail.get();
        }
        return nullptr;
    };

    // Fast path: a path of literal segments only (the common case) needs no backtracking.
    const Node *node = m_root.get();
    for (qsizetype i = 0; node && i < raw.size(); ++i) {
        const auto it = node->literals.find(walker.segment(i));
        node = it == node->literals.end() ? nullptr : it->second.get();
    }
    if (!node || !serves(node)) {
        node = walk(m_root.get(), 0, true);
        if (!node) {
            params.clear();
            node = walk(m_root.get(), 0, false); // the path exists with other methods?
        }
    }

    Match result;
    if (!node)
        return result;
    result.pathExists = true;
    result.params = std::move(params);
    if (node->methods.contains(method) || node->methods.contains(effective)) {
        const auto it =
            node->methods.constFind(node->methods.contains(method) ? method : effective);
        result.route = &m_routes.at(*it);
        return result;
    }
    for (auto it = node->methods.cbegin(); it != node->methods.cend(); ++it)
        result.allowed.append(it.key());
    if (result.allowed.contains("GET") && !result.allowed.contains("HEAD"))
        result.allowed.append("HEAD");
    result.allowed.append("OPTIONS");
    std::sort(result.allowed.begin(), result.allowed.end());
    return result;
}

} // namespace Outpost::Server
