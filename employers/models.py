# Employers, vacancies, matching and Social Return: see issue 6.
