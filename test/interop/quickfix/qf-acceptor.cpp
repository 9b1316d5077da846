// A QuickFIX/C++ acceptor for interop tests: a minimal venue that acknowledges every
// NewOrderSingle (ExecType New) and fills it completely at its limit price, and answers every
// OrderCancelRequest with an OrderCancelReject (too late: every order is filled at once). Prints
// "ready" on stdout once listening; runs until stdin closes, then stops at once.
// Usage: qf-acceptor <config file>
#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/MessageCracker.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/fix44/ExecutionReport.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/OrderCancelReject.h>
#include <quickfix/fix44/OrderCancelRequest.h>

#include <iostream>
#include <string>

class Acceptor : public FIX::Application, public FIX::MessageCracker {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override { std::cerr << "logon " << id.toString() << std::endl; }
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message& message, const FIX::SessionID& id)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    crack(message, id);
  }

  void onMessage(const FIX44::NewOrderSingle& order, const FIX::SessionID& id) override {
    FIX::ClOrdID clOrdId;
    FIX::Symbol symbol;
    FIX::Side side;
    FIX::OrderQty qty;
    FIX::Price price;
    order.get(clOrdId);
    order.get(symbol);
    order.get(side);
    order.get(qty);
    order.get(price);
    const std::string orderId = "QFX-" + std::to_string(++orders_);
    send(id, orderId, clOrdId, symbol, side, FIX::ExecType_NEW, FIX::OrdStatus_NEW, qty.getValue(), 0, 0, 0);
    send(id, orderId, clOrdId, symbol, side, FIX::ExecType_TRADE, FIX::OrdStatus_FILLED, 0, qty.getValue(),
         qty.getValue(), price.getValue());
  }

  void onMessage(const FIX44::OrderCancelRequest& request, const FIX::SessionID& id) override {
    FIX::ClOrdID clOrdId;
    FIX::OrigClOrdID origClOrdId;
    request.get(clOrdId);
    request.get(origClOrdId);
    // Every order here fills at once, so a cancel always comes too late.
    FIX44::OrderCancelReject reject(FIX::OrderID("NONE"), clOrdId, origClOrdId, FIX::OrdStatus(FIX::OrdStatus_FILLED),
                                    FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
    reject.set(FIX::CxlRejReason(FIX::CxlRejReason_TOO_LATE_TO_CANCEL));
    FIX::Session::sendToTarget(reject, id);
  }

 private:
  void send(const FIX::SessionID& id, const std::string& orderId, const FIX::ClOrdID& clOrdId,
            const FIX::Symbol& symbol, const FIX::Side& side, char execType, char status, double leaves,
            double cum, double lastQty, double lastPx) {
    FIX44::ExecutionReport report(FIX::OrderID(orderId), FIX::ExecID("E-" + std::to_string(++execs_)),
                                  FIX::ExecType(execType), FIX::OrdStatus(status), side, FIX::LeavesQty(leaves),
                                  FIX::CumQty(cum), FIX::AvgPx(cum > 0 ? lastPx : 0));
    report.set(clOrdId);
    report.set(symbol);
    if (lastQty > 0) {
      report.set(FIX::LastQty(lastQty));
      report.set(FIX::LastPx(lastPx));
    }
    FIX::Session::sendToTarget(report, id);
  }
  int orders_ = 0;
  int execs_ = 0;
};

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: qf-acceptor <config>" << std::endl;
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Acceptor app;
    FIX::FileStoreFactory store(settings);
    FIX::SocketAcceptor acceptor(app, store, settings);
    acceptor.start();
    std::cout << "ready" << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    // Forced: a graceful stop polls for Logout answers in whole seconds.
    acceptor.stop(true);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
