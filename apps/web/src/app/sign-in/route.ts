import { signInRoute } from "@/server/auth";

export const GET = signInRoute;
