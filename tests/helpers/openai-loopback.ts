// The loopback model server lives in lib/proof (npm run proof drives the runtime with it too).
export * from "@/lib/proof/openai-loopback";
