// A QuickFIX/C++ initiator for interop tests: logs on, sends N NewOrderSingles, prints every
// ExecutionReport it receives as one JSON line on stdout, and logs out once each order has an
// answer that ends it (filled, canceled or rejected) or the timeout passes.
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

class Initiator : public FIX::Application, public FIX::MessageCracker {
 public:
  Initiator(int orders, std::string symbol, double price, double qty)
      : orders_(orders), symbol_(std::move(symbol)), price_(price), qty_(qty) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    std::cerr << "logon " << id.toString() << std::endl;
    for (int i = 1; i <= orders_; ++i) {
      FIX44::NewOrderSingle order(FIX::ClOrdID("QF-" + std::to_string(i)), FIX::Side(FIX::Side_BUY),
                                  FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT));
      order.set(FIX::Symbol(symbol_));
      order.set(FIX::OrderQty(qty_));
      order.set(FIX::Price(price_));
      order.set(FIX::TimeInForce(FIX::TimeInForce_DAY));
      FIX::Session::sendToTarget(order, id);
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
    FIX::ExecType execType;
    FIX::OrdStatus status;
    FIX::CumQty cumQty;
    FIX::LeavesQty leavesQty;
    report.get(clOrdId);
    report.get(execType);
    report.get(status);
    report.get(cumQty);
    report.get(leavesQty);
    std::string lastPx = report.isSetField(FIX::FIELD::LastPx) ? report.getField(FIX::FIELD::LastPx) : "";
    std::string lastQty = report.isSetField(FIX::FIELD::LastQty) ? report.getField(FIX::FIELD::LastQty) : "";
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::cout << "{\"clOrdId\":\"" << clOrdId.getValue() << "\",\"execType\":\"" << execType.getValue()
                << "\",\"ordStatus\":\"" << status.getValue() << "\",\"cumQty\":\"" << report.getField(FIX::FIELD::CumQty)
                << "\",\"leavesQty\":\"" << report.getField(FIX::FIELD::LeavesQty) << "\",\"lastPx\":\"" << lastPx
                << "\",\"lastQty\":\"" << lastQty << "\"}" << std::endl;
      const char s = status.getValue();
      if (s == FIX::OrdStatus_FILLED || s == FIX::OrdStatus_CANCELED || s == FIX::OrdStatus_REJECTED) {
        done_.insert(clOrdId.getValue());
      }
    }
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
  double price_;
  double qty_;
  std::mutex mutex_;
  std::set<std::string> done_;
};

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: qf-initiator <config> <orders> <symbol> <price> <qty> <timeout s>" << std::endl;
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Initiator app(std::atoi(argv[2]), argv[3], std::atof(argv[4]), std::atof(argv[5]));
    FIX::FileStoreFactory store(settings);
    FIX::SocketInitiator initiator(app, store, settings);
    initiator.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[6]));
    while (!app.allDone() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const bool ok = app.allDone();
    initiator.stop();
    std::cerr << (ok ? "all orders answered" : "timed out") << std::endl;
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
