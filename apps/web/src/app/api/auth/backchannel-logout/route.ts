import { backchannelLogoutRoute } from "@/server/auth";

export const POST = backchannelLogoutRoute;
