// How the CLI is wired: each command file adds its subcommand to the app and, when
// that subcommand is the one parsed, sets `selected` to its run function. main()
// parses, runs the selected function and exits with what it returns.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "service/context.h"

namespace shopctl::cli {

using service::Settings;
using RunFunction = std::function<int(const Settings&)>;

struct CommandSetup {
    CLI::App& app;
    RunFunction& selected;
};

void add_init_command(CommandSetup setup);
void add_load_command(CommandSetup setup);
void add_checkout_commands(CommandSetup setup);  // checkout and quote
void add_batch_command(CommandSetup setup);
void add_replay_command(CommandSetup setup);
void add_orders_command(CommandSetup setup);
void add_outbox_command(CommandSetup setup);
void add_points_command(CommandSetup setup);
void add_coupons_command(CommandSetup setup);
void add_products_command(CommandSetup setup);
void add_stock_command(CommandSetup setup);
void add_verify_command(CommandSetup setup);

}  // namespace shopctl::cli
