#pragma once

#include "core/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Outpost::Server {

// One stage of a local pipeline: commands run in order, each without a shell unless `shell`
// names one ("sh", "bash", an absolute path: then it runs as SHELL -c COMMAND).
struct StageDefinition
{
    QString name;
    QStringList commands;
    QString workingDirectory; // empty: the pipeline's; relative: under the run's workspace
    QMap<QString, QString> env;
    int timeoutSeconds = 3600;
    QString shell;
};

// A local pipeline's definition, from YAML (buildspec.yml-like) or JSON text:
//   shell, env, timeout (seconds), working_directory: defaults for every stage
//   stages: [{name, commands: [..] (or command: ".."), working_directory, env, timeout, shell}]
// or, as in a CodeBuild buildspec, phases: {install, pre_build, build, post_build: {commands}}
// (run in that order). Every problem is a Validation error on "definition".
struct PipelineDefinition
{
    QList<StageDefinition> stages;

    static Result<PipelineDefinition> parse(const QString &text);
};

} // namespace Outpost::Server
