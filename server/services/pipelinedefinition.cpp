#include "pipelinedefinition.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <yaml-cpp/yaml.h>

namespace Outpost::Server {

namespace {

constexpr int kMaxStages = 100;
constexpr int kMaxCommands = 200;
constexpr int kMaxTimeoutSeconds = 7 * 24 * 3600;

// YAML as JSON: maps to objects, sequences to arrays, scalars to strings (numbers are read
// back from strings where a number is wanted).
QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto &item : node) {
            object.insert(
                QString::fromStdString(item.first.as<std::string>()), toJson(item.second));
        }
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto &item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Scalar:
        return QString::fromStdString(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return {QJsonValue::Null};
}

Error invalid(const QString &message)
{
    return Error::validation(QStringLiteral("definition"), message);
}

std::optional<int> seconds(const QJsonValue &value)
{
    bool ok = value.isDouble();
    qint64 n = value.toInteger(0); // 0 (refused) for a fraction or a number beyond qint64
    if (value.isString())
        n = value.toString().trimmed().toLongLong(&ok);
    if (!ok || n < 1 || n > kMaxTimeoutSeconds)
        return std::nullopt;
    return int(n);
}

Result<QMap<QString, QString>> envOf(const QJsonValue &value, const QString &where)
{
    QMap<QString, QString> env;
    if (value.isUndefined() || value.isNull())
        return env;
    if (!value.isObject())
        return fail(invalid(where + QStringLiteral(": env must be a map of names to values")));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString &name = it.key();
        const bool goodName = !name.isEmpty() && !name.contains(u'=') && !name.contains(QChar());
        if (!goodName || it.value().isObject() || it.value().isArray())
            return fail(invalid(where + QStringLiteral(": env %1 is not NAME: value").arg(name)));
        env.insert(name,
            it.value().isString() ? it.value().toString() : it.value().toVariant().toString());
    }
    return env;
}

struct Defaults
{
    QString shell;
    QString workingDirectory;
    QMap<QString, QString> env;
    int timeoutSeconds = 3600;
};

Result<StageDefinition> stageOf(
    const QJsonObject &json, const QString &name, const Defaults &defaults)
{
    const QString where = QStringLiteral("stage \"%1\"").arg(name);
    StageDefinition stage;
    stage.name = name;
    if (name.isEmpty() || name.size() > 200)
        return fail(invalid(QStringLiteral("every stage needs a name of 1 to 200 characters")));
    const QJsonValue commands = json.value(QStringLiteral("commands"));
    if (commands.isArray()) {
        for (const auto &command : commands.toArray()) {
            if (!command.isString() || command.toString().trimmed().isEmpty()) {
                return fail(
                    invalid(where + QStringLiteral(": commands must be non-empty strings")));
            }
            stage.commands.append(command.toString());
        }
    } else if (json.value(QStringLiteral("command")).isString()) {
        stage.commands.append(json.value(QStringLiteral("command")).toString());
    }
    if (stage.commands.isEmpty() || stage.commands.size() > kMaxCommands)
        return fail(invalid(where + QStringLiteral(": needs 1 to %1 commands").arg(kMaxCommands)));
    stage.shell = json.value(QStringLiteral("shell")).toString(defaults.shell);
    stage.workingDirectory =
        json.value(QStringLiteral("working_directory")).toString(defaults.workingDirectory);
    stage.timeoutSeconds = defaults.timeoutSeconds;
    const QJsonValue timeout = json.value(QStringLiteral("timeout"));
    if (!timeout.isUndefined()) {
        const std::optional<int> value = seconds(timeout);
        if (!value) {
            return fail(invalid(where
                + QStringLiteral(": timeout must be 1 to %1 seconds").arg(kMaxTimeoutSeconds)));
        }
        stage.timeoutSeconds = *value;
    }
    auto env = envOf(json.value(QStringLiteral("env")), where);
    if (!env)
        return fail(env.error());
    stage.env = defaults.env;
    stage.env.insert(*env);
    if (!stage.shell.isEmpty() && stage.shell.contains(u' ')) {
        return fail(
            invalid(where + QStringLiteral(": shell must be a program, such as sh or bash")));
    }
    return stage;
}

} // namespace

Result<PipelineDefinition> PipelineDefinition::parse(const QString &text)
{
    QJsonValue root;
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'{')) {
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            return fail(invalid(QStringLiteral("malformed JSON: %1").arg(error.errorString())));
        root = document.object();
    } else {
        try {
            root = toJson(YAML::Load(trimmed.toStdString()));
        } catch (const YAML::Exception &e) {
            return fail(invalid(QStringLiteral("malformed YAML at line %1, column %2")
                                    .arg(e.mark.line + 1)
                                    .arg(e.mark.column + 1)));
        }
    }
    if (!root.isObject())
        return fail(invalid(QStringLiteral("must be a map with stages or phases")));
    const QJsonObject json = root.toObject();

    Defaults defaults;
    defaults.shell = json.value(QStringLiteral("shell")).toString();
    defaults.workingDirectory = json.value(QStringLiteral("working_directory")).toString();
    if (!json.value(QStringLiteral("timeout")).isUndefined()) {
        const std::optional<int> value = seconds(json.value(QStringLiteral("timeout")));
        if (!value) {
            return fail(
                invalid(QStringLiteral("timeout must be 1 to %1 seconds").arg(kMaxTimeoutSeconds)));
        }
        defaults.timeoutSeconds = *value;
    }
    auto env = envOf(json.value(QStringLiteral("env")), QStringLiteral("pipeline"));
    if (!env)
        return fail(env.error());
    defaults.env = *env;

    PipelineDefinition definition;
    const QJsonValue stages = json.value(QStringLiteral("stages"));
    const QJsonValue phases = json.value(QStringLiteral("phases"));
    if (stages.isArray()) {
        for (const auto &value : stages.toArray()) {
            if (!value.isObject())
                return fail(invalid(QStringLiteral("every stage must be a map")));
            const QJsonObject object = value.toObject();
            auto stage = stageOf(
                object, object.value(QStringLiteral("name")).toString().trimmed(), defaults);
            if (!stage)
                return fail(stage.error());
            definition.stages.append(*stage);
        }
    } else if (phases.isObject()) {
        const QJsonObject object = phases.toObject();
        const QStringList order = {QStringLiteral("install"), QStringLiteral("pre_build"),
            QStringLiteral("build"), QStringLiteral("post_build")};
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!order.contains(it.key())) {
                return fail(invalid(QStringLiteral("unknown phase %1 (known: %2)")
                                        .arg(it.key(), order.join(QStringLiteral(", ")))));
            }
        }
        for (const QString &name : order) {
            if (!object.contains(name))
                continue;
            auto stage = stageOf(object.value(name).toObject(), name, defaults);
            if (!stage)
                return fail(stage.error());
            definition.stages.append(*stage);
        }
    } else {
        return fail(invalid(QStringLiteral("needs a list of stages (or buildspec phases)")));
    }
    if (definition.stages.isEmpty() || definition.stages.size() > kMaxStages)
        return fail(invalid(QStringLiteral("needs 1 to %1 stages").arg(kMaxStages)));
    QStringList names;
    for (const StageDefinition &stage : std::as_const(definition.stages)) {
        if (names.contains(stage.name))
            return fail(invalid(QStringLiteral("stage name \"%1\" is used twice").arg(stage.name)));
        names.append(stage.name);
    }
    return definition;
}

} // namespace Outpost::Server
