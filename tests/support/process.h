// Runs the real shopctl binary (or any program) as a child process and captures
// its exit code, stdout and stderr. Tests go through the binary the way users do.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace shopctl::test {

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

struct RunOptions {
    std::string stdin_text;
    std::map<std::string, std::string> env;  // added to a clean environment
    std::string cwd;
};

ProcessResult run_program(const std::vector<std::string>& argv, const RunOptions& options = {});
// A file's bytes ("" when it cannot be read).
std::string read_whole_file(const std::string& path);
ProcessResult run_shopctl(const std::vector<std::string>& args, const RunOptions& options = {});
// Starts every command at once (real concurrent processes), then waits for all.
std::vector<ProcessResult> run_shopctl_parallel(const std::vector<std::vector<std::string>>& commands,
                                                const RunOptions& options = {});

// A started child process; finish() waits for it and collects its output.
class Child {
public:
    Child(const std::vector<std::string>& argv, const RunOptions& options);
    ProcessResult finish();
    int pid() const { return pid_; }

private:
    int pid_ = -1;
    std::string in_, out_, err_;
};

}  // namespace shopctl::test
