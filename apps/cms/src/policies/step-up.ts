// `global::step-up`: the article routes' step-up check (src/auth/step-up/).
import { createStepUpPolicy } from "../auth/step-up/step-up-policy";
import { cmsConfig } from "../cms-config";

let policy: ReturnType<typeof createStepUpPolicy> | undefined;

export default (policyContext: Parameters<ReturnType<typeof createStepUpPolicy>>[0]): boolean => {
  policy ??= createStepUpPolicy(cmsConfig().stepUp.table);
  return policy(policyContext);
};
