// libpq, loaded with dlopen on the first connection to a server: a SQLite user's
// process never maps libpq and the two dozen libraries it needs (TLS, Kerberos, LDAP),
// which cost about 10 ms at every start-up.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace shopctl::db::pg {

#define SHOPCTL_LIBPQ_FUNCTIONS(X)                                                                                  \
    X(PQclear) X(PQcmdStatus) X(PQcmdTuples) X(PQconnectdbParams) X(PQdb) X(PQerrorMessage) X(PQexec)            \
    X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQgetisnull) X(PQgetvalue) X(PQhost) X(PQnfields) X(PQntuples) X(PQport)      \
    X(PQprepare) X(PQresultErrorField) X(PQresultStatus) X(PQstatus) X(PQtransactionStatus) X(PQsendPrepare)      \
    X(PQsendQueryPrepared) X(PQgetResult) X(PQenterPipelineMode) X(PQexitPipelineMode) X(PQpipelineSync)        \
    X(PQpipelineStatus) X(PQsendQueryParams) X(PQconsumeInput) X(PQbackendPID)

struct Libpq {
#define SHOPCTL_LIBPQ_POINTER(name) decltype(&::name) name = nullptr;
    SHOPCTL_LIBPQ_FUNCTIONS(SHOPCTL_LIBPQ_POINTER)
#undef SHOPCTL_LIBPQ_POINTER
};

// The loaded library, or nullptr with `error` saying why.
const Libpq* load_libpq(std::string& error);

}  // namespace shopctl::db::pg
