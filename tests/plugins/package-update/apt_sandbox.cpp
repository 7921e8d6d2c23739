#include "tests/plugins/package-update/apt_sandbox.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tend::testing {
namespace {

namespace fs = std::filesystem;

plugins::CommandResult must_run(const plugins::CommandSpec& spec) {
  auto result = plugins::run_command(spec);
  std::string argv;
  for (const auto& arg : spec.argv) argv += arg + " ";
  EXPECT_TRUE(result.ok()) << argv << "-> " << result.describe() << "\n"
                           << result.out << result.err;
  return result;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// The directories apt and dpkg expect under a root, and an empty status.
void make_root(const fs::path& root) {
  for (const char* dir :
       {"etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
        "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg/info",
        "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/log/apt", "run"}) {
    fs::create_directories(root / dir);
  }
  write(root / "var/lib/dpkg/status", "");
  write(root / "var/lib/dpkg/available", "");
}

// An apt config that makes `root` the whole world of apt and dpkg ("@"
// stands for the root).
constexpr const char* kConfig = R"(Dir "@/";
Dir::State::status "@/var/lib/dpkg/status";
Dir::Bin::dpkg "/usr/bin/dpkg";
DPkg::Options { "--root=@"; "--admindir=@/var/lib/dpkg"; "--log=@/var/log/dpkg.log"; };
// No binary cache: apt trusts one by size and mtime in whole seconds, and a
// test rewrites a repository within the same second.
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
Acquire::Retries "0";
Acquire::http::Proxy::127.0.0.1 "DIRECT";
)";

std::string config_for(const fs::path& root) {
  std::string text;
  for (const char* c = kConfig; *c; ++c) text += *c == '@' ? root.string() : std::string(1, *c);
  return text;
}

}  // namespace

AptSandbox::AptSandbox() : dir_("tend-apt-sandbox") {
  make_root(root());
  write(root() / "apt.conf", config_for(root()));
  fs::create_directories(root() / "sources");
  fs::path guard = root() / "guard";
  make_root(guard);
  write(guard / "apt.conf", config_for(guard));
  setenv("APT_CONFIG", (guard / "apt.conf").c_str(), 1);
}

fs::path AptSandbox::build_package(const std::string& name, const std::string& version,
                                   const std::string& depends) {
  fs::path tree = root() / "build" / (name + "_" + version);
  write(tree / "usr/share" / name / "version", version + "\n");
  write(tree / "DEBIAN/control",
        "Package: " + name + "\nVersion: " + version +
            "\nArchitecture: all\nMaintainer: tend tests <tend@localhost>\n" +
            (depends.empty() ? "" : "Depends: " + depends + "\n") +
            "Description: a package for tend's tests\n");
  fs::path deb = root() / "build" / (name + "_" + version + "_all.deb");
  plugins::CommandSpec spec;
  spec.argv = {"dpkg-deb", "--root-owner-group", "--build", tree.string(), deb.string()};
  must_run(spec);
  return deb;
}

void AptSandbox::repository(const std::string& name, const std::string& label,
                            const std::string& suite, const std::vector<fs::path>& debs) {
  fs::path repo = root() / "repos" / name;
  fs::remove_all(repo);
  fs::create_directories(repo);
  for (const auto& deb : debs) fs::copy_file(deb, repo / deb.filename());

  plugins::CommandSpec scan;
  scan.argv = {"dpkg-scanpackages", "--multiversion", ".", "/dev/null"};
  scan.working_dir = repo.string();
  write(repo / "Packages", must_run(scan).out);
  plugins::CommandSpec hash;
  hash.argv = {"sha256sum", "Packages"};
  hash.working_dir = repo.string();
  std::string sum = must_run(hash).out.substr(0, 64);
  write(repo / "Release", "Origin: Debian\nLabel: " + label + "\nSuite: " + suite +
                              "\nCodename: " + suite + "\nDate: Thu, 01 Jan 2026 00:00:00 UTC" +
                              "\nArchitectures: all amd64\nSHA256:\n " + sum + " " +
                              std::to_string(fs::file_size(repo / "Packages")) + " Packages\n");
  source(name, "deb [trusted=yes] file:" + repo.string() + " ./");
}

void AptSandbox::source(const std::string& name, const std::string& line) {
  write(root() / "sources" / (name + ".list"), line + "\n");
}

std::vector<std::string> AptSandbox::options() const {
  // Where the sources are, and downloads done as root: the sandbox's files
  // are in a directory only root may read.
  return {"Dir::Etc::SourceParts=" + (root() / "sources").string(), "APT::Sandbox::User=root"};
}

plugins::CommandResult AptSandbox::apt_get(const std::vector<std::string>& args) const {
  plugins::CommandSpec spec;
  spec.argv = {"/usr/bin/apt-get", "-q"};
  for (const auto& option : options()) {
    spec.argv.push_back("-o");
    spec.argv.push_back(option);
  }
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {"APT_CONFIG=" + (root() / "apt.conf").string(), "DEBIAN_FRONTEND=noninteractive",
              "LC_ALL=C"};
  return must_run(spec);
}

std::string AptSandbox::installed_version(const std::string& package) const {
  std::ifstream status(root() / "var/lib/dpkg/status");
  std::stringstream text;
  text << status.rdbuf();
  std::string all = text.str();
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find("\n\n", start);
    std::string stanza = all.substr(start, end == std::string::npos ? end : end - start);
    start = end == std::string::npos ? all.size() : end + 2;
    if (stanza.find("Package: " + package + "\n") != 0) continue;
    if (stanza.find("Status: install ok installed") == std::string::npos) return "";
    size_t version = stanza.find("\nVersion: ");
    if (version == std::string::npos) return "";
    size_t line_end = stanza.find('\n', version + 1);
    return stanza.substr(version + 10,
                         line_end == std::string::npos ? line_end : line_end - version - 10);
  }
  return "";
}

std::string AptSandbox::installed_file(const std::string& package) const {
  return read_file(root() / "usr/share" / package / "version");
}

std::string AptSandbox::settings(const std::string& extra_lines,
                                 const std::vector<std::string>& extra_options) const {
  std::string list;
  auto all = options();
  all.insert(all.end(), extra_options.begin(), extra_options.end());
  for (const auto& option : all) list += (list.empty() ? "\"" : ", \"") + option + "\"";
  return "apt_config = \"" + (root() / "apt.conf").string() + "\"\n" + "reboot_required_file = \"" +
         reboot_file().string() + "\"\n" + "extra_options = [" + list + "]\n" + extra_lines;
}

fs::path AptSandbox::lock_file() const { return root() / "var/lib/dpkg/lock-frontend"; }
fs::path AptSandbox::reboot_file() const { return root() / "run/reboot-required"; }

}  // namespace tend::testing
