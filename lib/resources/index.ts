export { checkDeclaredResources, configuredResourceNames } from "./declarations";
export { chargeWrite, acquireToolCall, type ResourceDecision, type WriteKind } from "./acquire";
export { startResourceWaker, noteResourceWait } from "./wake";
export { releaseEndpointSlot, reacquireEndpointSlot } from "./endpoint-slot";
