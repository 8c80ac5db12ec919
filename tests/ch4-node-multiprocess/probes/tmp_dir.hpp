// A fresh folder under /tmp for one case of a chapter-4 probe, removed at
// its end; hide() puts "<tmp>" where its random name appears in a message,
// so the logged line is the same on every run.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

struct TmpDir {
  std::string path;
  TmpDir() {
    char tmpl[] = "/tmp/kata-probe-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
    path = std::filesystem::canonical(tmpl).string();
  }
  ~TmpDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TmpDir(const TmpDir&) = delete;
  TmpDir& operator=(const TmpDir&) = delete;
  std::string hide(std::string s) const {
    for (std::size_t at; (at = s.find(path)) != std::string::npos;) s.replace(at, path.size(), "<tmp>");
    return s;
  }
};
