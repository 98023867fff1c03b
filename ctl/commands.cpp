// outpostctl's commands, their options and the completion scripts made from them.
#include "ctl.h"

namespace Outpost::Ctl {

namespace {

QCommandLineOption pageOption(const QString &name, const QString &description)
{
    return {name, description, QStringLiteral("n")};
}

const QList<QCommandLineOption> kPageOptions {
    pageOption(QStringLiteral("limit"), QStringLiteral("Items per page (1 to 100).")),
    pageOption(QStringLiteral("skip"), QStringLiteral("Items to skip.")),
};

} // namespace

QList<Ctl::Command> Ctl::commands() const
{
    using O = QCommandLineOption;
    const QList<O> page = kPageOptions;
    return {
        {QStringLiteral("login"),
            QStringLiteral("Sign in to a server and make it the current context."),
            QStringLiteral("URL"),
            {{QStringLiteral("email"),
                 QStringLiteral("E-mail to sign in with (asked for on a terminal)."),
                 QStringLiteral("email")},
                {QStringLiteral("password-stdin"),
                    QStringLiteral("Read the password from the first line of standard input.")},
                {QStringLiteral("name"),
                    QStringLiteral("Name of the context (default: the server's host:port)."),
                    QStringLiteral("context")},
                {QStringLiteral("insecure-store"),
                    QStringLiteral("Without a keychain, keep the refresh token in a file only you "
                                   "can read (credentials.json in the config directory).")}},
            &Ctl::login, false},
        {QStringLiteral("logout"), QStringLiteral("Sign out and forget the context's session."), {},
            {}, &Ctl::logout, false},
        {QStringLiteral("context list"), QStringLiteral("List the contexts."), {}, {},
            &Ctl::contextList, false},
        {QStringLiteral("context use"), QStringLiteral("Make a context the current one."),
            QStringLiteral("NAME"), {}, &Ctl::contextUse, false},
        {QStringLiteral("posts list"), QStringLiteral("List posts, newest first."), {},
            page
                + QList<O> {{QStringLiteral("search"),
                                QStringLiteral("Text in the title or content."),
                                QStringLiteral("text")},
                    {QStringLiteral("owner"), QStringLiteral("Only this user's posts."),
                        QStringLiteral("id")},
                    {QStringLiteral("sort"),
                        QStringLiteral("-created_at (default), created_at or -votes."),
                        QStringLiteral("order")}},
            &Ctl::postsList},
        {QStringLiteral("posts get"), QStringLiteral("Show a post."), QStringLiteral("ID"), {},
            &Ctl::postsGet},
        {QStringLiteral("posts create"), QStringLiteral("Create a post."), {},
            {{QStringLiteral("title"), QStringLiteral("Title."), QStringLiteral("text")},
                {QStringLiteral("content"), QStringLiteral("Content."), QStringLiteral("text")},
                {QStringLiteral("draft"), QStringLiteral("Do not publish it yet.")}},
            &Ctl::postsCreate},
        {QStringLiteral("posts edit"),
            QStringLiteral("Change a post (fails with a conflict if it changed meanwhile)."),
            QStringLiteral("ID"),
            {{QStringLiteral("title"), QStringLiteral("New title."), QStringLiteral("text")},
                {QStringLiteral("content"), QStringLiteral("New content."), QStringLiteral("text")},
                {QStringLiteral("published"), QStringLiteral("true or false."),
                    QStringLiteral("bool")}},
            &Ctl::postsEdit},
        {QStringLiteral("posts delete"), QStringLiteral("Delete a post."), QStringLiteral("ID"), {},
            &Ctl::postsDelete},
        {QStringLiteral("posts vote"), QStringLiteral("Vote for a post."), QStringLiteral("ID"),
            {{QStringLiteral("undo"), QStringLiteral("Take the vote back.")}}, &Ctl::postsVote},
        {QStringLiteral("search"), QStringLiteral("Full-text search over posts and file paths."),
            QStringLiteral("QUERY"), page, &Ctl::search},
        {QStringLiteral("phrases"), QStringLiteral("Key phrases of a post."),
            QStringLiteral("POST_ID"), {}, &Ctl::phrases},
        {QStringLiteral("users list"), QStringLiteral("List users (admins)."), {},
            page
                + QList<O> {{QStringLiteral("search"),
                    QStringLiteral("Part of an e-mail or username."), QStringLiteral("text")}},
            &Ctl::usersList},
        {QStringLiteral("users get"), QStringLiteral("Show a user (\"me\": yourself)."),
            QStringLiteral("ID"), {}, &Ctl::usersGet},
        {QStringLiteral("api-keys list"), QStringLiteral("List API keys (admins)."), {}, page,
            &Ctl::apiKeysList},
        {QStringLiteral("api-keys create"),
            QStringLiteral("Create an API key; its secret is shown this once."),
            QStringLiteral("NAME"),
            {{QStringLiteral("scope"),
                QStringLiteral("read (default), files:write or pipelines:write; repeatable."),
                QStringLiteral("scope")}},
            &Ctl::apiKeysCreate},
        {QStringLiteral("api-keys revoke"), QStringLiteral("Revoke an API key."),
            QStringLiteral("ID"), {}, &Ctl::apiKeysRevoke},
        {QStringLiteral("files ls"), QStringLiteral("List files."), QStringLiteral("[DIRECTORY]"),
            {{QStringLiteral("page-token"), QStringLiteral("Token of the next page."),
                QStringLiteral("token")}},
            &Ctl::filesList},
        {QStringLiteral("files get"),
            QStringLiteral("Download a file (to standard output without LOCAL, or with -)."),
            QStringLiteral("PATH [LOCAL]"), {}, &Ctl::filesGet},
        {QStringLiteral("files put"),
            QStringLiteral("Upload a file; large ones in resumable parts."),
            QStringLiteral("LOCAL PATH"),
            {{QStringLiteral("resumable"),
                 QStringLiteral("Upload in parts even if the file is small (files over 8 MiB "
                                "always are).")},
                {QStringLiteral("resume"),
                    QStringLiteral("Go on with an interrupted upload of the same file to the same "
                                   "path.")},
                {QStringLiteral("content-type"), QStringLiteral("Media type (default: by name)."),
                    QStringLiteral("type")}},
            &Ctl::filesPut},
        {QStringLiteral("files rm"), QStringLiteral("Delete a file."), QStringLiteral("PATH"), {},
            &Ctl::filesRemove},
        {QStringLiteral("pipelines ls"), QStringLiteral("List pipelines."), {}, page,
            &Ctl::pipelinesList},
        {QStringLiteral("pipelines runs"), QStringLiteral("List a pipeline's runs."),
            QStringLiteral("PIPELINE_ID"), page, &Ctl::pipelinesRuns},
        {QStringLiteral("pipelines trigger"), QStringLiteral("Start a run of a local pipeline."),
            QStringLiteral("PIPELINE_ID"), {}, &Ctl::pipelinesTrigger},
        {QStringLiteral("pipelines cancel"), QStringLiteral("Cancel a run."),
            QStringLiteral("RUN_ID"), {}, &Ctl::pipelinesCancel},
        {QStringLiteral("pipelines logs"), QStringLiteral("Print a run's log."),
            QStringLiteral("RUN_ID"),
            {{{QStringLiteral("f"), QStringLiteral("follow")},
                QStringLiteral("Keep printing until the run completes.")}},
            &Ctl::pipelinesLogs},
        {QStringLiteral("events tail"), QStringLiteral("Print changes as they happen."), {},
            {{QStringLiteral("type"), QStringLiteral("Only events of this type; repeatable."),
                 QStringLiteral("type")},
                {QStringLiteral("count"), QStringLiteral("Stop after this many events."),
                    QStringLiteral("n")}},
            &Ctl::eventsTail},
        {QStringLiteral("admin info"), QStringLiteral("Server information (admins)."), {}, {},
            &Ctl::adminInfo},
        {QStringLiteral("admin audit"), QStringLiteral("The audit log (admins)."), {}, page,
            &Ctl::adminAudit},
        {QStringLiteral("wiki"), QStringLiteral("Summary of a wiki page, with key phrases."),
            QStringLiteral("PAGE"), {}, &Ctl::wiki},
        {QStringLiteral("completion"),
            QStringLiteral("Shell completion script: bash, zsh or fish."), QStringLiteral("SHELL"),
            {}, &Ctl::completion, false},
    };
}

namespace {

// Text inside a single-quoted zsh word.
QString zshQuoted(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return quoted;
}

// The explanation of an _arguments spec ('--flag[explanation]'): brackets escaped.
QString zshExplanation(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('['), QStringLiteral("\\["));
    escaped.replace(QLatin1Char(']'), QStringLiteral("\\]"));
    return zshQuoted(escaped);
}

// A 'name:description' item for _describe, single-quoted (the name's colons escaped).
QString zshItem(const QString &name, const QString &description)
{
    QString escapedName = name;
    escapedName.replace(QLatin1Char(':'), QStringLiteral("\\:"));
    return u'\'' + zshQuoted(escapedName + u':' + description) + u'\'';
}

// _arguments specs of options: '(-o --output)'{-o,--output}'[...]:format:' and the like.
QString zshOptionSpecs(const QList<QCommandLineOption> &options, const QString &indent)
{
    QString specs;
    for (const QCommandLineOption &option : options) {
        QStringList flags;
        for (const QString &name : option.names())
            flags.append((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name);
        const QString value = option.valueName().isEmpty()
            ? QString()
            : QStringLiteral(":%1:").arg(zshQuoted(option.valueName()));
        const QString help = QStringLiteral("[%1]").arg(zshExplanation(option.description()));
        if (flags.size() == 1) {
            specs += indent + QStringLiteral("'%1%2%3' \\\n").arg(flags.first(), help, value);
        } else {
            specs += indent
                + QStringLiteral("'(%1)'{%2}'%3%4' \\\n")
                      .arg(flags.join(QLatin1Char(' ')), flags.join(QLatin1Char(',')), help, value);
        }
    }
    return specs;
}

} // namespace

// Native zsh completion (compsys): commands and their verbs with descriptions (_describe),
// options with their help and values (_arguments). Works from fpath as _outpostctl and when
// sourced (source <(outpostctl completion zsh)).
QString Ctl::zshCompletion() const
{
    QStringList groups;
    QMap<QString, QString> groupHelp;
    QMap<QString, QStringList> verbs; // group -> 'verb:summary' items
    QString commandCases;
    for (const Command &command : commands()) {
        const QStringList words = command.name.split(QLatin1Char(' '));
        const QString &group = words.constFirst();
        if (!groups.contains(group))
            groups.append(group);
        if (words.size() > 1) {
            verbs[group].append(zshItem(words.at(1), command.summary));
            groupHelp[group] +=
                (groupHelp[group].isEmpty() ? QString() : QStringLiteral(", ")) + words.at(1);
        } else {
            groupHelp[group] = command.summary;
        }
        QString arguments = zshOptionSpecs(command.options, QStringLiteral("                "));
        arguments +=
            QStringLiteral("                '(- *)--help[Show help for this command]' \\\n");
        arguments += command.name == u"completion"
            ? QStringLiteral("                '1:shell:(bash zsh fish)'\n")
            : QStringLiteral("                '*: :_default'\n");
        commandCases += QStringLiteral("            '%1')\n                _arguments -s \\\n%2"
                                       "                ;;\n")
                            .arg(zshQuoted(command.name), arguments);
    }
    QString groupItems;
    for (const QString &group : std::as_const(groups)) {
        groupItems +=
            QStringLiteral("            %1\n").arg(zshItem(group, groupHelp.value(group)));
    }
    QString verbCases;
    for (auto it = verbs.cbegin(); it != verbs.cend(); ++it) {
        verbCases += QStringLiteral("            %1) verbs=(%2) ;;\n")
                         .arg(it.key(), it.value().join(QLatin1Char(' ')));
    }
    return QStringLiteral(
        "#compdef outpostctl\n"
        "# outpostctl completion for zsh. Either put it in a directory of $fpath as _outpostctl,\n"
        "# or run: source <(outpostctl completion zsh)   (after compinit)\n"
        "_outpostctl() {\n"
        "    local curcontext=\"$curcontext\" state state_descr line ret=1\n"
        "    local -a groups verbs\n"
        "    typeset -A opt_args\n"
        "    _arguments -C -s \\\n%1"
        "        '(- *)--help[Show help]' \\\n"
        "        '(- *)--version[Show the version]' \\\n"
        "        '1:command:->command' \\\n"
        "        '*::argument:->argument' && ret=0\n"
        "    case $state in\n"
        "    command)\n"
        "        groups=(\n%2        )\n"
        "        _describe -t commands 'outpostctl command' groups && ret=0\n"
        "        ;;\n"
        "    argument)\n"
        "        verbs=()\n"
        "        case $words[1] in\n%3"
        "        esac\n"
        "        if (( $#verbs )) && (( CURRENT == 2 )); then\n"
        "            _describe -t commands \"$words[1] command\" verbs && ret=0\n"
        "            return ret\n"
        "        fi\n"
        "        local command=$words[1]\n"
        "        if (( $#verbs )); then\n"
        "            command=\"$words[1] $words[2]\"\n"
        "            shift words\n"
        "            (( CURRENT-- ))\n"
        "        fi\n"
        "        curcontext=\"${curcontext%%:*}-${command// /-}:\"\n"
        "        case $command in\n%4"
        "        esac\n"
        "        ret=0\n"
        "        ;;\n"
        "    esac\n"
        "    return ret\n"
        "}\n"
        "\n"
        "if [[ $funcstack[1] == _outpostctl ]]; then\n"
        "    _outpostctl \"$@\"\n"
        "else\n"
        "    compdef _outpostctl outpostctl\n"
        "fi\n")
        .arg(zshOptionSpecs(globalOptions(), QStringLiteral("        ")), groupItems, verbCases,
            commandCases);
}

int Ctl::completion()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("completion needs a shell: bash, zsh or fish"));
    const QString shell = positional(0);
    QStringList groups;
    QMap<QString, QStringList> verbs;
    QStringList options;
    for (const QCommandLineOption &option : globalOptions())
        options.append(QStringLiteral("--") + option.names().constLast());
    for (const Command &command : commands()) {
        const QStringList words = command.name.split(QLatin1Char(' '));
        if (!groups.contains(words.constFirst()))
            groups.append(words.constFirst());
        if (words.size() > 1)
            verbs[words.constFirst()].append(words.at(1));
    }
    QString script;
    if (shell == QLatin1String("zsh")) {
        script = zshCompletion();
    } else if (shell == QLatin1String("bash")) {
        QString cases;
        for (auto it = verbs.begin(); it != verbs.end(); ++it) {
            cases += QStringLiteral("        %1) COMPREPLY=($(compgen -W \"%2\" -- \"$cur\")) ;;\n")
                         .arg(it.key(), it.value().join(QLatin1Char(' ')));
        }
        script = QStringLiteral(
            "# outpostctl completion for bash\n"
            "_outpostctl() {\n"
            "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" words=() i\n"
            "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
            "        case \"${COMP_WORDS[i]}\" in -*) ;; *) words+=(\"${COMP_WORDS[i]}\") ;; esac\n"
            "    done\n"
            "    if [[ \"$cur\" == -* ]]; then\n"
            "        COMPREPLY=($(compgen -W \"%1 --help\" -- \"$cur\")); return\n"
            "    fi\n"
            "    if [[ ${#words[@]} -eq 0 ]]; then\n"
            "        COMPREPLY=($(compgen -W \"%2\" -- \"$cur\")); return\n"
            "    fi\n"
            "    if [[ ${#words[@]} -eq 1 ]]; then\n"
            "        case \"${words[0]}\" in\n%3"
            "        completion) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")) ;;\n"
            "        esac\n"
            "    fi\n"
            "}\n")
                     .arg(options.join(QLatin1Char(' ')), groups.join(QLatin1Char(' ')), cases);
        script += QStringLiteral("complete -F _outpostctl outpostctl\n");
    } else if (shell == QLatin1String("fish")) {
        script = QStringLiteral("# outpostctl completion for fish\ncomplete -c outpostctl -f\n");
        script += QStringLiteral("complete -c outpostctl -n '__fish_use_subcommand' -a '%1'\n")
                      .arg(groups.join(QLatin1Char(' ')));
        for (auto it = verbs.begin(); it != verbs.end(); ++it) {
            script += QStringLiteral(
                "complete -c outpostctl -n '__fish_seen_subcommand_from %1' -a '%2'\n")
                          .arg(it.key(), it.value().join(QLatin1Char(' ')));
        }
        script += QStringLiteral("complete -c outpostctl -n '__fish_seen_subcommand_from "
                                 "completion' -a 'bash zsh fish'\n");
        for (const QCommandLineOption &option : globalOptions()) {
            script +=
                QStringLiteral("complete -c outpostctl -l %1\n").arg(option.names().constLast());
        }
    } else {
        return usage(QStringLiteral("unknown shell '%1' (bash, zsh, fish)").arg(shell));
    }
    out(script.toUtf8());
    return Ok;
}

} // namespace Outpost::Ctl
