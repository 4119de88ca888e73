import { useMe } from "@/features/auth/api/get-me";
import { TodayBoard } from "@/features/home/components/today-board";

/** Home: the signed-in person's day. */
export function HomeRoute() {
  const me = useMe();
  const name = me.data?.full_name?.split(" ")[0];
  return (
    <div className="page page-wide">
      <header className="page-header">
        <div>
          <h1>Today</h1>
          <p className="muted">{name ? `Good to see you, ${name}. ` : ""}What is late, who to call and what to sell.</p>
        </div>
      </header>
      <TodayBoard />
    </div>
  );
}
