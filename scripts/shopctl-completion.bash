# bash completion for shopctl
_shopctl() {
    local cur prev words cword
    _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
    local globals="--db --now --json --busy-timeout --platform-url --platform-timeout --help --version"
    local commands="init load checkout quote batch replay orders points coupons products outbox verify"
    case $prev in
        --db|--junit) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --now|--busy-timeout|--platform-url|--platform-timeout|--member|--since|--limit|--commit-every) return ;;
        --status) COMPREPLY=($(compgen -W "PAID CANCELLED PENDING SENT DEAD" -- "$cur")); return ;;
    esac
    local cmd="" sub="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) if [ -z "$cmd" ]; then cmd=${words[i]}; elif [ -z "$sub" ]; then sub=${words[i]}; fi ;;
        esac
    done
    if [[ $cur == -* ]]; then
        local extra=""
        case $cmd in
            checkout|quote) extra="--explain" ;;
            batch) extra="--commit-every" ;;
            replay) extra="--junit" ;;
            orders) [ "$sub" = list ] && extra="--member --since --status --limit" ;;
            outbox) [ "$sub" = flush ] && extra="--all"; [ "$sub" = list ] && extra="--status" ;;
            coupons) [ "$sub" = list ] && extra="--member" ;;
        esac
        COMPREPLY=($(compgen -W "$globals $extra" -- "$cur"))
        return
    fi
    case $cmd in
        "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        orders) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list show cancel" -- "$cur")) ;;
        outbox) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list flush retry" -- "$cur")) ;;
        points) [ -z "$sub" ] && COMPREPLY=($(compgen -W "charge show" -- "$cur")) ;;
        coupons) [ -z "$sub" ] && COMPREPLY=($(compgen -W "issue list" -- "$cur")) ;;
        products) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list" -- "$cur")) ;;
        load|checkout|quote|batch|replay) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _shopctl shopctl
