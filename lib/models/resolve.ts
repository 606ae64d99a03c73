import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { getModelEndpoint, type ModelEndpoint } from "./config";
import { ModelCallError } from "./errors";
import { SimulatedLanguageModel } from "./simulated-model";
import { getSimulatedScript, noScript } from "./simulated-script";

export interface ResolvedModel {
  endpoint: ModelEndpoint;
  model: LanguageModelV3;
  /** What turns, the API and the audit show: `simulated/<job>` or `<provider>:<model id>`. */
  label: string;
  simulated: boolean;
}

const ANTHROPIC_DEFAULT_BASE = "https://api.anthropic.com/v1";

/** The language model for one turn of one job on a named endpoint. */
export function resolveModel(endpointName: string, jobId: string): ResolvedModel {
  const endpoint = getModelEndpoint(endpointName);
  if (!endpoint) {
    throw new ModelCallError("config", `model endpoint "${endpointName}" is not configured (see docs/MODELS.md)`, 0);
  }
  return modelFor(endpoint, jobId);
}

export function modelFor(endpoint: ModelEndpoint, jobId: string): ResolvedModel {
  switch (endpoint.provider) {
    case "simulated": {
      const model = new SimulatedLanguageModel(jobId, getSimulatedScript(jobId) ?? noScript(jobId));
      return { endpoint, model, label: model.modelId, simulated: true };
    }
    case "openai-compatible": {
      const provider = createOpenAICompatible({
        name: endpoint.name,
        baseURL: requireSetting(endpoint, endpoint.baseUrl, "baseUrl"),
        apiKey: endpoint.apiKey,
      });
      const id = requireSetting(endpoint, endpoint.model, "model");
      return { endpoint, model: provider.chatModel(id), label: `openai-compatible:${id}`, simulated: false };
    }
    case "anthropic": {
      // Explicit key and base URL: the provider would otherwise read process.env itself.
      const provider = createAnthropic({
        apiKey: endpoint.apiKey ?? "",
        baseURL: endpoint.baseUrl ?? ANTHROPIC_DEFAULT_BASE,
      });
      const id = requireSetting(endpoint, endpoint.model, "model");
      return { endpoint, model: provider(id), label: `anthropic:${id}`, simulated: false };
    }
  }
}

function requireSetting(endpoint: ModelEndpoint, value: string | undefined, name: string): string {
  if (!value) throw new ModelCallError("config", `model endpoint "${endpoint.name}" has no ${name}`, 0);
  return value;
}
