// A QuickFIX/C++ initiator for interop tests: logs on, sends N limit buy NewOrderSingles, prints
// every ExecutionReport it receives as one JSON line on stdout (field values exactly as on the
// wire), and logs out once each order has an answer that ends it (filled, canceled or rejected)
// or the timeout passes. Price and quantity are passed through as the decimal strings given, so
// no binary float rounds them. Exit status 0 when every order was answered, 1 otherwise.
// Usage: qf-initiator <config file> <orders> <symbol> <price> <qty> <timeout seconds>
#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/MessageCracker.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/NewOrderSingle.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

class Initiator : public FIX::Application, public FIX::MessageCracker {
 public:
  Initiator(int orders, std::string symbol, std::string price, std::string qty)
      : orders_(orders), symbol_(std::move(symbol)), price_(std::move(price)), qty_(std::move(qty)) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    std::cerr << "logon " << id.toString() << std::endl;
    for (int i = 1; i <= orders_; ++i) {
      FIX44::NewOrderSingle order(FIX::ClOrdID("QF-" + std::to_string(i)), FIX::Side(FIX::Side_BUY),
                                  FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT));
      order.set(FIX::Symbol(symbol_));
      order.setField(FIX::FIELD::OrderQty, qty_);
      order.setField(FIX::FIELD::Price, price_);
      order.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
      FIX::Session::sendToTarget(order, id);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      id_ = id;
    }
    loggedOn_ = true;
  }
  void onLogout(const FIX::SessionID&) override { loggedOut_ = true; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message& message, const FIX::SessionID& id)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    crack(message, id);
  }

  void onMessage(const FIX44::ExecutionReport& report, const FIX::SessionID&) override {
    FIX::ClOrdID clOrdId;
    FIX::OrdStatus status;
    report.get(clOrdId);
    report.get(status);
    const auto field = [&report](int tag) {
      return report.isSetField(tag) ? report.getField(tag) : std::string();
    };
    const std::pair<const char*, int> fields[] = {
        {"clOrdId", FIX::FIELD::ClOrdID},     {"orderId", FIX::FIELD::OrderID},
        {"execId", FIX::FIELD::ExecID},       {"execType", FIX::FIELD::ExecType},
        {"ordStatus", FIX::FIELD::OrdStatus}, {"orderQty", FIX::FIELD::OrderQty},
        {"price", FIX::FIELD::Price},         {"cumQty", FIX::FIELD::CumQty},
        {"leavesQty", FIX::FIELD::LeavesQty}, {"avgPx", FIX::FIELD::AvgPx},
        {"lastPx", FIX::FIELD::LastPx},       {"lastQty", FIX::FIELD::LastQty},
        {"commission", FIX::FIELD::Commission}, {"commType", FIX::FIELD::CommType},
        {"lastLiquidityInd", FIX::FIELD::LastLiquidityInd}, {"text", FIX::FIELD::Text},
    };
    std::string line = "{";
    for (const auto& f : fields) {
      if (line.size() > 1) line += ",";
      line += "\"" + std::string(f.first) + "\":\"" + escape(field(f.second)) + "\"";
    }
    line += "}";
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::cout << line << std::endl;
      const char s = status.getValue();
      if (s == FIX::OrdStatus_FILLED || s == FIX::OrdStatus_CANCELED || s == FIX::OrdStatus_REJECTED) {
        done_.insert(clOrdId.getValue());
      }
    }
  }

  static std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  // Logs out here rather than in SocketInitiator::stop, which polls for the Logout's answer in
  // whole seconds.
  void logout() {
    std::lock_guard<std::mutex> lock(mutex_);
    FIX::Session* session = loggedOn_ ? FIX::Session::lookupSession(id_) : nullptr;
    if (session != nullptr) session->logout();
  }

  bool allDone() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(done_.size()) >= orders_;
  }
  std::atomic<bool> loggedOn_{false};
  std::atomic<bool> loggedOut_{false};

 private:
  int orders_;
  std::string symbol_;
  std::string price_;
  std::string qty_;
  std::mutex mutex_;
  std::set<std::string> done_;
  FIX::SessionID id_;
};

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: qf-initiator <config> <orders> <symbol> <price> <qty> <timeout s>" << std::endl;
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Initiator app(std::atoi(argv[2]), argv[3], argv[4], argv[5]);
    FIX::FileStoreFactory store(settings);
    FIX::SocketInitiator initiator(app, store, settings);
    initiator.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[6]));
    while (!app.allDone() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const bool ok = app.allDone();
    app.logout();
    const auto logoutDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (app.loggedOn_ && !app.loggedOut_ && std::chrono::steady_clock::now() < logoutDeadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    initiator.stop(true);
    std::cerr << (ok ? "all orders answered" : "timed out") << std::endl;
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
