# bash completion for shopctl
_shopctl() {
    local cur prev words cword
    _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
    local globals="--db --now --json --quiet --busy-timeout --platform-url --platform-timeout --help --version"
    local commands="init load checkout quote batch replay orders points coupons products stock outbox verify help"
    case $prev in
        --db|--junit|--rejects|--from|--record) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --now|--busy-timeout|--platform-url|--platform-timeout|--member|--since|--until|--limit|--commit-every|--key|--before|--after|--price|--name|--filter) return ;;
        --format) COMPREPLY=($(compgen -W "table csv tsv jsonl" -- "$cur")); return ;;
    esac
    local cmd="" sub="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            # options that take a value: skip the value, it is not a command word
            --db|--now|--busy-timeout|--platform-url|--platform-timeout|--junit|--member|--since|--until|--limit|--commit-every|--rejects|--status|--key|--before|--after|--price|--name|--filter|--format|--from|--record) ((i++)) ;;
            -*) ;;
            *) if [ -z "$cmd" ]; then cmd=${words[i]}; elif [ -z "$sub" ]; then sub=${words[i]}; fi ;;
        esac
    done
    if [ "$prev" = --status ]; then
        case $cmd in
            orders) COMPREPLY=($(compgen -W "PAID PARTIALLY_RETURNED RETURNED CANCELLED" -- "$cur")) ;;
            outbox) COMPREPLY=($(compgen -W "PENDING SENT DEAD" -- "$cur")) ;;
            products) COMPREPLY=($(compgen -W "ON_SALE SALE_ENDED" -- "$cur")) ;;
        esac
        return
    fi
    if [[ $cur == -* ]]; then
        local extra=""
        case $cmd in
            checkout|quote) extra="--explain" ;;
            batch) extra="--commit-every --rejects --summary-json" ;;
            replay) extra="--junit --filter --fail-fast --record" ;;
            orders) [ "$sub" = list ] && extra="--member --since --until --status --key --before --limit --format"
                    [ "$sub" = export ] && extra="--member --since --until --status --key --format"
                    [ "$sub" = return ] && extra="--dry-run --explain"
                    [ "$sub" = cancel ] && extra="--from" ;;
            products) [ "$sub" = set ] && extra="--price --status --name"; [ "$sub" = list ] && extra="--status --after --limit --format" ;;
            outbox) [ "$sub" = flush ] && extra="--all"; [ "$sub" = retry ] && extra="--all-dead"; [ "$sub" = list ] && extra="--status --after --limit --format" ;;
            coupons) [ "$sub" = list ] && extra="--member --after --limit --format"; [ "$sub" = issue ] && extra="--from" ;;
            points) [ "$sub" = charge ] && extra="--from"; [ "$sub" = show ] && extra="--before --limit --format" ;;
        esac
        COMPREPLY=($(compgen -W "$globals $extra" -- "$cur"))
        return
    fi
    case $cmd in
        "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        orders) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list show export cancel return" -- "$cur")) ;;
        outbox) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list flush retry" -- "$cur")) ;;
        points) [ -z "$sub" ] && COMPREPLY=($(compgen -W "charge show" -- "$cur")) ;;
        coupons) [ -z "$sub" ] && COMPREPLY=($(compgen -W "issue list" -- "$cur")) ;;
        products) [ -z "$sub" ] && COMPREPLY=($(compgen -W "list set" -- "$cur")) ;;
        stock) [ -z "$sub" ] && COMPREPLY=($(compgen -W "add" -- "$cur")) ;;
        load|checkout|quote|batch|replay) COMPREPLY=($(compgen -f -- "$cur")) ;;
        help) [ -z "$sub" ] && COMPREPLY=($(compgen -W "${commands% help}" -- "$cur")) ;;
    esac
}
complete -F _shopctl shopctl
