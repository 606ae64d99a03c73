import "server-only";

export {
  modelEndpoints,
  getModelEndpoint,
  parseModelEndpoints,
  listModelEndpointConfigs,
  endpointSecrets,
  endpointModelLabel,
  modelProviders,
  type ModelEndpoint,
  type ModelProvider,
} from "./config";
export { resolveModel, modelFor, type ResolvedModel } from "./resolve";
export { callModel, type ModelAnswer, type ModelCallRequest, type ModelToolCall } from "./call-model";
export { ModelCallError, type ModelCallFailure } from "./errors";
export { backoffDelay, isRetryableModelError, type RetryPolicy } from "./retry";
export { SimulatedLanguageModel, RUN_INPUT_MARKER, simulationState } from "./simulated-model";
export { setSimulatedPace, simulatedPace, SimulatedProviderError, type SimulatedPace } from "./simulated-pace";
export {
  registerSimulatedScript,
  getSimulatedScript,
  type SimulatedScript,
  type SimulatedReply,
  type SimulatedToolCall,
  type SimulatedToolResult,
  type SimulationState,
} from "./simulated-script";
