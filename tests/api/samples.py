"""A resume and a posting written for the API tests (shared by the offline and model paths)."""

RESUME_TEXT = """Jordan Avery
jordan.avery@example.org | +44 20 7946 0958 | London, UK

Summary
Backend engineer who builds reliable data services in Python.

Experience
Senior Software Engineer, Northwind Analytics
Jan 2020 - Present
- Built Python and PostgreSQL services handling 2M requests a day
- Led migration to Kubernetes and Docker with CI on GitHub Actions

Software Engineer, Blue Harbor Labs
Jun 2016 - Dec 2019
- Wrote REST APIs in Python and Django
- Improved Redis caching, cutting latency by 40%

Education
BSc Computer Science, University of Leeds, 2016

Skills
Python, Django, PostgreSQL, Redis, Docker, Kubernetes, REST APIs, Git
"""

JOB_TEXT = """Senior Backend Engineer
Acme Cloud - Remote (UK)

About the role
We are looking for a Senior Backend Engineer to build our data platform.

Responsibilities
- Design and build Python services and REST APIs
- Operate PostgreSQL and Redis in production

Requirements
- 5+ years of experience in backend development
- Strong Python and PostgreSQL skills
- Experience with Kubernetes and Docker
- Bachelor's degree in Computer Science or related field

Nice to have
- Experience with Kafka and Terraform

Salary: £70,000 - £90,000 per year
"""
