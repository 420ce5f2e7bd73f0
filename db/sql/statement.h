// sql::Statement: one prepared statement of a backend's connection, bound by name
// (":member"). The store's SQL is written once against this: SQLite runs it as it is;
// a server backend rewrites the names into its own placeholders and runs the text in
// `/*pg ... */` comments, which SQLite skips (row locks, say). Where the two need
// different text, `/*sqlite*/A/*pg B */` is A on SQLite and B on the server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shopctl::db::sql {

class Statement;

// One column of the current row.
class Column {
public:
    Column(Statement& statement, int index) : statement_(statement), index_(index) {}
    int64_t getInt64() const;
    int getInt() const { return static_cast<int>(getInt64()); }
    std::string getString() const;
    bool isNull() const;

private:
    Statement& statement_;
    int index_;
};

class Statement {
public:
    virtual ~Statement() = default;

    virtual void bind(const char* name, int64_t value) = 0;
    virtual void bind(const char* name, const std::string& value) = 0;
    virtual void bind(const char* name) = 0;  // NULL
    void bind(const char* name, int value) { bind(name, static_cast<int64_t>(value)); }
    void bind(const char* name, const char* value) { bind(name, std::string(value)); }

    // Runs the statement (on the first call) and moves to the next row; false when
    // there is none.
    virtual bool executeStep() = 0;
    // Runs a statement that returns no rows; how many rows it changed.
    virtual int exec() = 0;
    // Runs a write whose answer is not needed now; it must change exactly
    // `expected_changes` rows, or the transaction fails (Failure Other) no later than
    // the next statement that needs an answer, or the commit. A server backend sends
    // such writes together with that statement: one round trip for all of them.
    virtual void exec_later(int expected_changes) = 0;
    // Sends a query whose rows are read later: a server backend sends it at once with
    // the other statements waiting, and answers all of them in one round trip when the
    // first that needs an answer runs. Its rows are then read as usual, by binding the
    // same values again and calling executeStep, in the order the queries were sent;
    // the same statement may be sent several times. An answer not read before the
    // next round trip is dropped. A backend that runs in process does nothing here
    // and runs the query at executeStep.
    virtual void query_later() {}
    // A write that returns rows (INSERT ... RETURNING id) whose rows can wait: a server
    // backend sends it as query_later does; a backend that runs in process runs it now,
    // in order with the writes around it, and keeps its rows for executeStep.
    virtual void write_returning_later() = 0;
    // After write_returning_later or query_later: its rows are here already (always
    // for the in-process backend; on a server, read with the last round trip and not
    // stale), so reading them costs nothing; a server's come with the next round trip.
    virtual bool answered() const = 0;
    // Ends the current run (rows not read are dropped); bindings stay.
    virtual void reset() = 0;
    // Sets every parameter to NULL.
    virtual void clearBindings() = 0;

    Column getColumn(int index) { return Column(*this, index); }
    virtual int64_t column_int64(int index) = 0;
    virtual std::string column_text(int index) = 0;
    virtual bool column_null(int index) = 0;
};

inline int64_t Column::getInt64() const { return statement_.column_int64(index_); }
inline std::string Column::getString() const { return statement_.column_text(index_); }
inline bool Column::isNull() const { return statement_.column_null(index_); }

}  // namespace shopctl::db::sql
