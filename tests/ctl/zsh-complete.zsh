#!/bin/zsh -f
# What zsh completes for a command line, with a completion script loaded the way a user
# loads it (compinit, then source <(outpostctl completion zsh)): prints the matches, one a line.
#   zsh -f tests/ctl/zsh-complete.zsh SCRIPT 'outpostctl posts '
# An interactive zsh runs in a pseudo-terminal (zpty); a Tab there runs the completion system,
# and compadd, wrapped, also prints every match it adds, marked, until an end marker.
export LC_ALL=C
local script=$1 line=$2
zmodload zsh/zpty || exit 3
zpty capture zsh -f -i || exit 3
zpty -w capture 'PROMPT= RPROMPT=; unsetopt zle_bracketed_paste; autoload -U compinit; compinit -u -D'
zpty -w capture "source ${(q)script}"
zpty -w capture 'compadd() { local -a found; builtin compadd -O found "$@"; builtin compadd "$@"; local m; for m in $found; do print -rn -- "<""M>$m<""E>"$'"'\\r\\n'"' >&2; done }'
zpty -w capture "zstyle ':completion:*' menu no; zstyle ':completion:*' list-prompt ''"
zpty -w capture 'comptest-end() { print -n "<""END>"$'"'\\r\\n'"' >&2 }; zle -N comptest-end; bindkey "^X" comptest-end'
zpty -n -w capture "$line"$'\t\C-x'
local out
typeset -aU matches
while zpty -r capture out; do
    [[ $out == *'<END>'* ]] && break
    [[ $out == *'<M>'*'<E>'* ]] && { out=${out#*<M>}; matches+=("${out%%<E>*}") }
done
zpty -d capture
print -rl -- ${(o)matches}
