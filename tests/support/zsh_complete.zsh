# What zsh's completion offers for command lines: starts an interactive zsh on a
# pseudo-terminal (zsh/zpty), loads the completion functions from $1 with compinit,
# and for each further argument types it and a TAB. Prints, for each, a line
# "LINE <n>" and then each candidate the completion added, one a line.
# Usage: zsh zsh_complete.zsh FUNCTIONS_DIR 'shopctl orders list --' 'shopctl '
zmodload zsh/zpty
zpty shell zsh -f -i
zpty -w shell "PROMPT=''; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
# Every candidate any completion function adds is printed instead of listed.
zpty -w shell 'compadd () { builtin compadd -O __offered "$@"; print -l -- "OFF""ERED:"${^__offered}; }'
shift
integer n=0
for typed in "$@"; do
  (( n++ ))
  zpty -w shell "print 'LI''NE $n'"$'\n'
  zpty -w shell "$typed"$'\t'
  zpty -w shell $'\C-a\C-k'
done
zpty -w shell $'print "EN""D-OF-COMPLETION"\n'
output=""
while zpty -r shell chunk; do
  output+="$chunk"
  [[ $output == *END-OF-COMPLETION* ]] && break
done
zpty -d shell
print -r -- "$output" | grep -aoE 'OFFERED:[^[:space:]]*|LINE [0-9]+' | sed 's/^OFFERED://'
