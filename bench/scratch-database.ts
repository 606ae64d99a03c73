// The scratch database helper lives in lib/proof (npm run proof uses it too).
export { withScratchDatabase } from "@/lib/proof";
