# Trajectories, routes, branch teams, activities, projects and events: see issue 5.
