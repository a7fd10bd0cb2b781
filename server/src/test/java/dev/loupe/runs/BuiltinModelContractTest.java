package dev.loupe.runs;

/** The builtin model keeps the event stream's grammar; it needs nothing prepared. */
class BuiltinModelContractTest extends ModelBackendContractTestCase {
  private final BuiltinModel model = new BuiltinModel();

  @Override
  protected ModelBackend backend() {
    return model;
  }

  @Override
  protected void prepare(Scenario scenario) {
    // answers from the tool's hits alone
  }
}
