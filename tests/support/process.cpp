#include "tests/support/process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shopctl::test {

namespace {

std::string temp_file(const std::string& content) {
    char path[] = "/tmp/shopctl-test-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    if (!content.empty() && write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
        throw std::runtime_error("write failed");
    close(fd);
    return path;
}

}  // namespace

std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Child::Child(const std::vector<std::string>& argv, const RunOptions& options)
    : in_(temp_file(options.stdin_text)), out_(temp_file("")), err_(temp_file("")) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int in = open(in_.c_str(), O_RDONLY);
        const int out = open(out_.c_str(), O_WRONLY | O_TRUNC);
        const int err = open(err_.c_str(), O_WRONLY | O_TRUNC);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(127);
        // A clean environment: only what the test sets, so SHOPCTL_* from the caller never leaks in.
        std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin", "HOME=/tmp"};
        for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
        std::vector<char*> envp;
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
}

ProcessResult Child::finish() {
    int status = 0;
    waitpid(pid_, &status, 0);
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_whole_file(out_);
    r.err = read_whole_file(err_);
    unlink(in_.c_str());
    unlink(out_.c_str());
    unlink(err_.c_str());
    return r;
}

ProcessResult run_program(const std::vector<std::string>& argv, const RunOptions& options) {
    return Child(argv, options).finish();
}

std::vector<ProcessResult> run_shopctl_parallel(const std::vector<std::vector<std::string>>& commands,
                                                const RunOptions& options) {
    std::vector<Child> children;
    children.reserve(commands.size());
    for (const auto& args : commands) {
        std::vector<std::string> argv = {SHOPCTL_BIN};
        argv.insert(argv.end(), args.begin(), args.end());
        children.emplace_back(argv, options);
    }
    std::vector<ProcessResult> results;
    for (auto& c : children) results.push_back(c.finish());
    return results;
}

ProcessResult run_shopctl(const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv = {SHOPCTL_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, options);
}

}  // namespace shopctl::test
